import { createPaymentStore } from '@harbour/prisma/payment';
import { createTestDatabase } from '@harbour/testing';
import { deleteExpiredIdempotencyKeys } from '../idempotency';

type Store = ReturnType<typeof createPaymentStore>;

describe('deleteExpiredIdempotencyKeys (real MariaDB)', () => {
  let database: { client: Store; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase('payment', (url) => createPaymentStore(url));
  });
  afterAll(() => database?.drop());

  async function insertKeys(count: number, expiresAt: string, tag: string) {
    const rows = Array.from({ length: count }, (_, i) => `('caller', 'topUpWallet', '${tag}-${i}', 'hash', '{}', NOW(3), ${expiresAt})`);
    await database.client.$executeRawUnsafe(
      `INSERT INTO idempotency_keys (caller_id, operation, idempotency_key, request_hash, response, created_at, expires_at) VALUES ${rows.join(', ')}`,
    );
  }

  it('deletes every expired key in batches, however many, and keeps the live ones', async () => {
    await insertKeys(25, 'NOW(3) - INTERVAL 1 DAY', 'expired');
    await insertKeys(7, 'NOW(3) + INTERVAL 1 DAY', 'live');

    // Batches of 10: 10 + 10 + 5, one call.
    expect(await deleteExpiredIdempotencyKeys(database.client, new Date(), 10)).toBe(25);

    const left = await database.client.$queryRawUnsafe<Array<{ idempotency_key: string }>>('SELECT idempotency_key FROM idempotency_keys ORDER BY idempotency_key');
    expect(left.map((row) => row.idempotency_key)).toEqual(Array.from({ length: 7 }, (_, i) => `live-${i}`).sort());
    expect(await deleteExpiredIdempotencyKeys(database.client, new Date(), 10)).toBe(0);
  });

  it('an exact multiple of the batch size ends after one empty batch', async () => {
    await insertKeys(20, 'NOW(3) - INTERVAL 1 HOUR', 'multiple');
    expect(await deleteExpiredIdempotencyKeys(database.client, new Date(), 10)).toBe(20);
  });
});
