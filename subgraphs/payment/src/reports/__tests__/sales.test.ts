import { createPaymentStore } from '@harbour/prisma/payment';
import { createTestDatabase } from '@harbour/testing';
import { salesSummary } from '../sales';

type Store = ReturnType<typeof createPaymentStore>;

/** The report's window and sums on real MariaDB (one statement: see salesSummary). */
describe('salesSummary (real MariaDB)', () => {
  let database: { client: Store; drop: () => Promise<void> };
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase('payment', (url) => createPaymentStore(url));
  });
  afterAll(() => database?.drop());

  const at = (iso: string) => new Date(iso);
  async function payment(businessId: string, amount: bigint, completedAt: string): Promise<string> {
    const n = ++counter;
    const requestId = `prq_sales_${n}`;
    const paymentId = `pay_sales_${n}`;
    await database.client.paymentRequest.create({
      data: { id: requestId, businessId, createdByUserId: 'usr_merchant', amount, currency: 'HKD', status: 'PAID', businessName: 'Shop', businessCity: 'HK', expiresAt: at(completedAt) },
    });
    await database.client.payment.create({
      data: { id: paymentId, paymentRequestId: requestId, businessId, payerUserId: 'usr_payer', payerDisplayName: 'Payer', amount, currency: 'HKD', completedAt: at(completedAt) },
    });
    return paymentId;
  }
  async function refund(paymentId: string, businessId: string, amount: bigint, createdAt: string) {
    await database.client.refund.create({
      data: { id: `rfd_sales_${++counter}`, paymentId, businessId, createdByUserId: 'usr_merchant', amount, currency: 'HKD', createdAt: at(createdAt) },
    });
  }

  it('covers [from, to): payments completed in it, refunds made in it whichever payment they refund', async () => {
    const before = await payment('biz_sales', 1_000n, '2026-12-01T15:59:59.999Z');
    await payment('biz_sales', 2_550n, '2026-12-01T16:00:00.000Z'); // the window's first instant
    const inside = await payment('biz_sales', 10_000_000_000n, '2026-12-02T10:00:00.000Z'); // beyond 2^31 minor units
    await payment('biz_sales', 4_000n, '2026-12-02T16:00:00.000Z'); // the next window's first instant
    await payment('biz_other', 9_999n, '2026-12-02T10:00:00.000Z');
    await refund(before, 'biz_sales', 300n, '2026-12-02T01:00:00.000Z'); // an earlier payment, refunded today
    await refund(inside, 'biz_sales', 50n, '2026-12-02T11:00:00.000Z');
    await refund(inside, 'biz_sales', 70n, '2026-12-02T16:00:00.000Z'); // tomorrow's

    // A merchant's day in Hong Kong.
    const day = await salesSummary(database.client, 'biz_sales', at('2026-12-02T00:00:00+08:00'), at('2026-12-03T00:00:00+08:00'));
    expect(day).toEqual({ count: 2, grossMinor: 10_000_002_550n, refundedMinor: 350n, netMinor: 10_000_002_200n, currency: 'HKD' });
  });

  it('is all zeros for a window with nothing in it', async () => {
    expect(await salesSummary(database.client, 'biz_empty', at('2026-12-02T00:00:00Z'), at('2026-12-03T00:00:00Z'))).toEqual({
      count: 0,
      grossMinor: 0n,
      refundedMinor: 0n,
      netMinor: 0n,
      currency: 'HKD',
    });
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(salesSummary(database.client, 'biz_sales', at('2026-12-03T00:00:00Z'), at('2026-12-02T00:00:00Z'))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
