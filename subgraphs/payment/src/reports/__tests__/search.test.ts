import { createPaymentStore, type Prisma } from '@harbour/prisma/payment';
import { createTestDatabase } from '@harbour/testing';
import { BULK_CASHIERS, bulkLoadPayments } from '../bulk/bulk-payments';
import { paymentsCountSql, paymentsPageSql, searchPayments, type PaymentsFilter } from '../search';

type Store = ReturnType<typeof createPaymentStore>;

const NEWEST = new Date('2026-12-01T12:00:00.000Z');
const BUSINESS = 'biz_search';
const COUNT = 20_000;
/** Every 30 s back from NEWEST: the oldest is 2026-11-24T17:20:30Z. */
const at = (n: number) => new Date(NEWEST.getTime() - n * 30_000);

/**
 * `Business.payments` on real MariaDB (merchant.md, "Finding payments"):
 * each filter against what the generated rows must give, totalCount, keyset
 * pages that neither repeat nor skip while payments arrive, and the plan of
 * every filter of the contract reading an index that leads with the business.
 */
describe('searchPayments (real MariaDB)', () => {
  let database: { client: Store; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase('payment', (url) => createPaymentStore(url));
    await bulkLoadPayments(database.client, { businessId: BUSINESS, count: COUNT, newest: NEWEST, tag: 'srch', batch: 10_000 });
    // Other businesses' rows around it, so that the business column has to be selective.
    await bulkLoadPayments(database.client, { businessId: 'biz_other', count: 10_000, newest: NEWEST, tag: 'othr', batch: 10_000 });
  }, 120_000);
  afterAll(() => database?.drop());

  const search = (filter: PaymentsFilter, first = 20, after?: string) => searchPayments(database.client, BUSINESS, { first, after, filter });
  /** What the generator wrote for n (see bulk-payments.ts). */
  const row = (n: number) => ({
    source: n % 10 < 7 ? 'PAYMENT_REQUEST' : n % 10 < 9 ? 'SHOP_QR' : 'PAYMENT_LINK',
    status: n % 50 === 0 ? 'REFUNDED' : n % 20 === 0 ? 'PARTIALLY_REFUNDED' : 'COMPLETED',
    amount: BigInt(100 + ((n * 7919) % 100_000)),
    createdBy: n % 10 < 7 ? BULK_CASHIERS[Math.floor(n / 10) % 10] : null,
    reference: n % 10 < 7 ? `INV-${n}` : null,
  });
  const expectedCount = (predicate: (n: number) => boolean) => Array.from({ length: COUNT }, (_, n) => n).filter(predicate).length;

  it.each<[string, PaymentsFilter, (n: number) => boolean]>([
    ['no filter', {}, () => true],
    ['from/to, half-open', { from: at(1000), to: at(100) }, (n) => n > 100 && n <= 1000],
    ['status', { status: ['REFUNDED', 'PARTIALLY_REFUNDED'] }, (n) => row(n).status !== 'COMPLETED'],
    ['source', { source: ['SHOP_QR'] }, (n) => row(n).source === 'SHOP_QR'],
    ['minAmount and maxAmount', { minAmount: 50_000n, maxAmount: 50_999n }, (n) => row(n).amount >= 50_000n && row(n).amount <= 50_999n],
    ['createdById', { createdById: BULK_CASHIERS[3] }, (n) => row(n).createdBy === BULK_CASHIERS[3]],
    ['reference prefix, case-insensitively', { reference: 'inv-123' }, (n) => row(n).reference?.startsWith('INV-123') ?? false],
    [
      'everything at once',
      { from: at(15_000), to: at(10), status: ['COMPLETED'], source: ['PAYMENT_REQUEST'], minAmount: 1_000n, createdById: BULK_CASHIERS[1], reference: 'INV-1' },
      (n) => n > 10 && n <= 15_000 && row(n).status === 'COMPLETED' && row(n).source === 'PAYMENT_REQUEST' && row(n).amount >= 1_000n && row(n).createdBy === BULK_CASHIERS[1] && row(n).reference!.startsWith('INV-1'),
    ],
  ])('%s: the right rows, newest first, and totalCount counts them all', async (_name, filter, predicate) => {
    const page = await search(filter);
    const expected = Array.from({ length: COUNT }, (_, n) => n).filter(predicate);
    expect(await page.totalCount()).toBe(expected.length);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(expected.slice(0, 20).map((n) => `pay_srch${String(n).padStart(12, '0')}`));
    expect(page.pageInfo.hasNextPage).toBe(expected.length > 20);
  });

  it('a reference filter is a prefix, its % and _ are literal, and a bad one is BAD_USER_INPUT', async () => {
    expect(await (await search({ reference: 'INV-1%' })).totalCount()).toBe(0);
    expect(await (await search({ reference: 'INV_1' })).totalCount()).toBe(0);
    await expect(search({ reference: '' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(search({ from: at(1), to: at(2) })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(search({ minAmount: 2n, maxAmount: 1n })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(await (await search({ status: [] })).totalCount()).toBe(0);
    expect(expectedCount(() => true)).toBe(COUNT);
  });

  it('pages neither repeat nor skip a payment while new ones arrive', async () => {
    const filter: PaymentsFilter = { source: ['PAYMENT_LINK'] };
    const seen: string[] = [];
    let after: string | undefined;
    let arrivals = 0;
    for (;;) {
      const page = await search(filter, 100, after);
      seen.push(...page.edges.map((edge) => edge.node.id));
      // A sale during paging: newer than everything, so it belongs before the first page, not among the next.
      await database.client.payment.create({
        data: { id: `pay_arrival${String(arrivals++).padStart(6, '0')}`, source: 'PAYMENT_LINK', businessId: BUSINESS, payerUserId: 'usr_p', payerDisplayName: 'P', amount: 100n, currency: 'HKD', completedAt: new Date(NEWEST.getTime() + arrivals * 1000) },
      });
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    const expected = expectedCount((n) => row(n).source === 'PAYMENT_LINK');
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
    expect(await (await search(filter)).totalCount()).toBe(expected + arrivals);
  });

  /** The index MariaDB reads for a statement (EXPLAIN's `key`), with its access type. */
  async function plan(sql: Prisma.Sql): Promise<Array<{ key: string | null; type: string }>> {
    const rows = await database.client.$queryRawUnsafe<Array<{ key: string | null; type: string }>>(`EXPLAIN ${sql.sql}`, ...sql.values);
    return rows.map((r) => ({ key: r.key, type: r.type }));
  }

  const cursor = { at: at(500), id: 'pay_srch000000000500' };
  it.each<[string, PaymentsFilter]>([
    ['no filter', {}],
    ['from/to', { from: at(1000), to: at(100) }],
    ['status', { status: ['REFUNDED'] }],
    ['source', { source: ['PAYMENT_LINK'] }],
    ['minAmount/maxAmount', { minAmount: 50_000n, maxAmount: 50_100n }],
    ['createdById', { createdById: BULK_CASHIERS[3] }],
    ['reference', { reference: 'INV-123' }],
  ])('%s: the page and the count each read a payments_business_id_* index (EXPLAIN)', async (_name, filter) => {
    for (const sql of [paymentsPageSql(BUSINESS, filter, null, 21), paymentsPageSql(BUSINESS, filter, cursor, 21), paymentsCountSql(BUSINESS, filter)]) {
      const [step, ...rest] = await plan(sql);
      expect(rest).toEqual([]);
      expect(step!.key).toMatch(/^payments_business_id_/);
      expect(step!.type).not.toBe('ALL');
    }
  });
});
