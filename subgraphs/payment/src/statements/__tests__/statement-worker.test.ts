/**
 * The statements worker on real MariaDB and a real Azurite: paging across
 * entries that share an instant, reconciliation with the ledger, leases
 * shared by two workers, and what happens when a worker dies or Blob storage
 * fails. The whole path through the gateway is in tests/money-out.e2e.test.ts.
 */
import { BlobStore } from '@harbour/blob';
import { createLogger } from '@harbour/logger';
import { createPaymentStore, type PaymentStore, type Statement } from '@harbour/prisma/payment';
import { createTestDatabase, startAzurite, type TestAzurite } from '@harbour/testing';
import { AccountDirectory } from '../../domain/ledger/accounts';
import { postEntry } from '../../domain/ledger/journal';
import { StatementWorker, type StatementWorkerOptions } from '../worker/statement-worker';

jest.setTimeout(60_000);

let database: { client: PaymentStore; drop: () => Promise<void> };
let azurite: TestAzurite;
let files: BlobStore;
let accounts: AccountDirectory;
const logger = createLogger('statement-worker-test', 'silent');

beforeAll(async () => {
  [database, azurite] = await Promise.all([createTestDatabase('payment', (url) => createPaymentStore(url)), startAzurite()]);
  files = new BlobStore(azurite.connectionString, 'statements-test');
  accounts = new AccountDirectory(database.client, { business: 4, system: 2 });
  await files.ensureContainer();
});
afterAll(async () => {
  await database?.drop();
  await azurite?.stop();
});

let counter = 0;
const at = (iso: string) => new Date(iso);

/** A payment of `amount` (fee `fee`) to the business at `createdAt`, as settle-payment writes it: the payment and its three lines. */
async function payment(businessId: string, amount: bigint, fee: bigint, createdAt: Date): Promise<string> {
  const store = database.client;
  const id = `pay_worker_${String(++counter).padStart(6, '0')}`;
  const [business, fees, wallet] = await Promise.all([accounts.business(businessId, 'HKD'), accounts.fees('HKD'), accounts.wallet('usr_payer', 'HKD')]);
  await store.$transaction(async (tx) => {
    await tx.payment.create({
      data: { id, source: 'SHOP_QR', businessId, payerUserId: 'usr_payer', payerDisplayName: '陳大文', amount, fee, feeRateBps: 120, currency: 'HKD', completedAt: createdAt },
    });
    await postEntry(tx, {
      kind: 'PAYMENT',
      referenceId: id,
      currency: 'HKD',
      createdAt,
      lines: [
        { accountId: wallet.id, shard: 0, amount: -amount },
        { accountId: business.id, shard: counter % 4, amount: amount - fee },
        { accountId: fees.id, shard: 0, amount: fee },
      ],
    });
  });
  return id;
}

async function ask(businessId: string, from: Date, to: Date, format: 'CSV' | 'PDF' = 'CSV'): Promise<Statement> {
  const now = new Date();
  return database.client.statement.create({
    data: { id: `stm_worker_${String(++counter).padStart(6, '0')}`, businessId, requestedByUserId: 'usr_owner', businessName: '九龍茶餐廳', format, from, to, currency: 'HKD', createdAt: now, updatedAt: now },
  });
}

const worker = (options: Partial<StatementWorkerOptions> = {}) =>
  new StatementWorker({ store: database.client, files, accounts, logger, pollMs: 50, settleMs: 0, pageSize: 3, ...options });
const reread = (id: string) => database.client.statement.findUniqueOrThrow({ where: { id } });
const events = (id: string) => database.client.outboxEvent.count({ where: { aggregateId: id, type: 'statement.ready' } });

describe('the statements worker', () => {
  it('pages by (created_at, entry) through entries that share an instant, and each row runs on from the balance before it', async () => {
    const businessId = 'biz_paging';
    await payment(businessId, 10_000n, 120n, at('2026-11-30T23:00:00Z')); // before the window: the opening balance
    const instant = at('2026-12-01T02:00:00.000Z');
    // Seven entries at one instant, across pages of three: none skipped, none twice.
    const same = [];
    for (let i = 0; i < 7; i++) same.push(await payment(businessId, 1_000n + BigInt(i), 12n, instant));
    await payment(businessId, 500n, 6n, at('2026-12-02T00:00:00Z'));
    await payment(businessId, 999n, 12n, at('2026-12-03T00:00:00Z')); // the window's end: excluded
    const statement = await ask(businessId, at('2026-12-01T00:00:00Z'), at('2026-12-03T00:00:00Z'));

    expect(await worker().runOnce()).toBe(true);
    const ready = await reread(statement.id);
    expect(ready).toMatchObject({ status: 'READY', rowCount: 8, openingBalance: 9_880n, attempts: 1, leaseOwner: null, failureCode: null });
    const lines = (await files.downloadText(ready.blobName!)).split('\r\n').slice(1, -1).map((line) => line.split(','));
    expect(lines.slice(0, 7).map((line) => line[2]).sort()).toEqual([...same].sort());
    expect(new Set(lines.map((line) => line[2])).size).toBe(8);
    const nets = lines.map((line) => Math.round(Number(line[7]) * 100));
    const balances = lines.map((line) => Math.round(Number(line[8]) * 100));
    let running = 9_880;
    nets.forEach((net, index) => expect(balances[index]).toBe((running += net)));
    expect(ready.closingBalance).toBe(BigInt(running));
    expect(await events(statement.id)).toBe(1);
  });

  it('publishes nothing that does not reconcile: a journal that disagrees with the balances is FAILED, NOT_RECONCILED, with no file', async () => {
    const businessId = 'biz_tampered';
    await payment(businessId, 2_000n, 24n, at('2026-12-01T03:00:00Z'));
    const business = await accounts.business(businessId, 'HKD');
    // A balance moved without its journal line (what ledgerHealth calls a balance off its lines).
    await database.client.$executeRaw`UPDATE account_balances SET balance = balance + 1 WHERE account_id = ${business.id} AND shard = 0`;
    const statement = await ask(businessId, at('2026-12-01T00:00:00Z'), at('2026-12-02T00:00:00Z'));
    await worker().runOnce();
    expect(await reread(statement.id)).toMatchObject({ status: 'FAILED', failureCode: 'NOT_RECONCILED', blobName: null, rowCount: null });
    expect(await files.exists(`statements/${businessId}/${statement.id}.csv`)).toBe(false);
    expect(await events(statement.id)).toBe(0);
    await database.client.$executeRaw`UPDATE account_balances SET balance = balance - 1 WHERE account_id = ${business.id} AND shard = 0`;
  });

  it('two workers share the waiting statements: each is written once, with one event', async () => {
    const businessId = 'biz_shared';
    for (let i = 0; i < 5; i++) await payment(businessId, 100n * BigInt(i + 1), 1n, at(`2026-12-01T0${i}:00:00Z`));
    const statements = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(businessId, at('2026-11-01T00:00:00Z'), at('2026-12-02T00:00:00Z'), i % 2 ? 'PDF' : 'CSV')));
    const [a, b] = [worker({ name: 'worker-a' }), worker({ name: 'worker-b' })];
    const runs = [a.run(), b.run()];
    const ids = statements.map((statement) => statement.id);
    for (let waited = 0; (await database.client.statement.count({ where: { id: { in: ids }, status: 'READY' } })) < ids.length; waited += 50) {
      if (waited > 30_000) throw new Error('the workers did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    a.stop();
    b.stop();
    await Promise.all(runs);
    for (const id of ids) {
      expect(await reread(id)).toMatchObject({ status: 'READY', attempts: 1, rowCount: 5 });
      expect(await events(id)).toBe(1);
    }
  });

  it('takes over a statement whose worker died (its lease ran out), and gives up after the last attempt', async () => {
    const businessId = 'biz_crashed';
    await payment(businessId, 700n, 8n, at('2026-12-01T01:00:00Z'));
    const window = [at('2026-12-01T00:00:00Z'), at('2026-12-02T00:00:00Z')] as const;
    const orphan = await ask(businessId, ...window);
    const past = new Date(Date.now() - 1_000);
    await database.client.statement.update({ where: { id: orphan.id }, data: { leaseOwner: 'dead-worker', leaseUntil: past, attempts: 1 } });
    const held = await ask(businessId, ...window);
    await database.client.statement.update({ where: { id: held.id }, data: { leaseOwner: 'busy-worker', leaseUntil: new Date(Date.now() + 60_000), attempts: 1 } });
    const exhausted = await ask(businessId, ...window);
    await database.client.statement.update({ where: { id: exhausted.id }, data: { leaseOwner: 'dead-worker', leaseUntil: past, attempts: 3 } });

    const taker = worker({ maxAttempts: 3 });
    while (await taker.runOnce());
    expect(await reread(orphan.id)).toMatchObject({ status: 'READY', attempts: 2 });
    // A lease still held is another worker's: left alone.
    expect(await reread(held.id)).toMatchObject({ status: 'PENDING', leaseOwner: 'busy-worker', attempts: 1 });
    expect(await reread(exhausted.id)).toMatchObject({ status: 'FAILED', failureCode: 'GENERATION_FAILED', attempts: 3 });
  });

  it('leaves a window that has not settled, and retries after Blob storage fails, then FAILED once no attempt is left', async () => {
    const businessId = 'biz_unreachable';
    const recent = await ask(businessId, new Date(Date.now() - 60_000), new Date(Date.now() - 1_000));
    expect(await worker({ settleMs: 10_000 }).runOnce()).toBe(false);
    expect(await reread(recent.id)).toMatchObject({ status: 'PENDING', attempts: 0 });

    // The real Azurite, but every upload fails half-way (as when storage goes away mid-statement): the rows are read, the file never lands.
    class FailingUploads extends BlobStore {
      override async upload(_name: string, source: AsyncIterable<Buffer | string>): Promise<number> {
        for await (const chunk of source) void chunk;
        throw new Error('Blob storage went away');
      }
    }
    const unreachable = new FailingUploads(azurite.connectionString, 'statements-test');
    const broken = worker({ files: unreachable, maxAttempts: 2 });
    expect(await broken.runOnce()).toBe(true);
    const paused = await reread(recent.id);
    expect(paused).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null });
    expect(paused.leaseUntil!.getTime()).toBeGreaterThan(Date.now()); // a pause before the next attempt
    await database.client.statement.update({ where: { id: recent.id }, data: { leaseUntil: null } });
    expect(await broken.runOnce()).toBe(true);
    expect(await reread(recent.id)).toMatchObject({ status: 'FAILED', failureCode: 'GENERATION_FAILED', attempts: 2 });
  });
});
