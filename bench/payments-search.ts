/**
 * `npm run bench:payments-search`: finding payments on a business with
 * 1,000,000 of them (merchant.md, "Finding payments": p99 < 50 ms for a page
 * of 20), measured on the payment subgraph itself.
 *
 * Loads 1,000,000 payments of one business and 200,000 of another into a
 * fresh payment database (bulk-payments.ts), starts the payment subgraph in
 * this process on its real store, and asks it what the gateway would for
 * the contract's BusinessPayments: `_entities` on Business with the
 * subscriber's signed identity, one request at a time, for each filter of
 * the contract, with and without `totalCount`. The caller's role is
 * answered by a directory in this process (OWNER): the business subgraph's
 * round trip is not what is measured here.
 *
 * BENCH_PAYMENTS (1000000), BENCH_REQUESTS per case (200).
 */
import { signIdentity, IDENTITY_HEADER } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { migrate } from '@harbour/prisma';
import { createPaymentStore } from '@harbour/prisma/payment';
import { dropDatabases, testDatabaseUrls, uniqueRunId } from '@harbour/testing';
import os from 'node:os';
import { buildPaymentSubgraph } from '../subgraphs/payment/src/build';
import { paymentConfig } from '../subgraphs/payment/src/config';
import type { Directory } from '../subgraphs/payment/src/directory/directory';
import { BULK_CASHIERS, bulkLoadPayments } from '../subgraphs/payment/src/reports/bulk/bulk-payments';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const BUSINESS = 'biz_benchsearch';
const NEWEST = new Date('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const CASES: Array<[string, Record<string, unknown>]> = [
  ['no filter', {}],
  ['from/to (one day)', { from: new Date(NEWEST.getTime() - 3 * DAY).toISOString(), to: new Date(NEWEST.getTime() - 2 * DAY).toISOString() }],
  ['status REFUNDED', { status: ['REFUNDED'] }],
  ['source PAYMENT_LINK', { source: ['PAYMENT_LINK'] }],
  ['minAmount/maxAmount (1%)', { minAmount: '500.00', maxAmount: '509.99' }],
  ['createdById (a cashier)', { createdById: BULK_CASHIERS[3] }],
  ['reference prefix', { reference: 'inv-4242' }],
  // The worst case kept honest: a filter matching most payments has most of a million index entries to count.
  ['status COMPLETED (93%)', { status: ['COMPLETED'] }],
  ['a cashier\'s day, completed', { createdById: BULK_CASHIERS[3], status: ['COMPLETED'], from: new Date(NEWEST.getTime() - 3 * DAY).toISOString(), to: new Date(NEWEST.getTime() - 2 * DAY).toISOString() }],
];

const query = (withCount: boolean) => `query ($representations: [_Any!]!, $filter: BusinessPaymentsFilter, $after: String) {
  _entities(representations: $representations) {
    ... on Business {
      payments(first: 20, after: $after, filter: $filter) {
        ${withCount ? 'totalCount' : ''}
        edges { cursor node { id status source amount { amount currencyCode } refundedAmount { amount currencyCode } reference completedAt createdBy { id } payer { displayName } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

async function main() {
  const url = testDatabaseUrls(uniqueRunId()).payment;
  const logger = createLogger('bench', 'warn');
  await migrate('payment', url, { logger: { info: () => undefined, warn: () => undefined } });
  const store = createPaymentStore(url, { connectionLimit: 8 });
  try {
    const loadStarted = performance.now();
    await bulkLoadPayments(store, { businessId: BUSINESS, count: PAYMENTS, newest: NEWEST, tag: 'bench' });
    await bulkLoadPayments(store, { businessId: 'biz_benchother', count: Math.max(10, PAYMENTS / 5), newest: NEWEST, tag: 'other', batch: 10 ** Math.min(5, Math.round(Math.log10(Math.max(10, PAYMENTS / 5)))) });
    console.log(`loaded ${PAYMENTS.toLocaleString('en')} payments (+ ${(PAYMENTS / 5).toLocaleString('en')} of another business) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    const identitySecret = new TextEncoder().encode('bench-identity-secret-0123456789abcdef');
    const directory: Directory = {
      membership: async (businessId) => ({ business: { id: businessId, name: 'Bench', city: 'Hong Kong', merchantCategoryCode: null }, role: 'OWNER' }),
      profile: async (businessId) => ({ id: businessId, name: 'Bench', city: 'Hong Kong', merchantCategoryCode: null }),
      owners: async (businessId) => ({ business: { id: businessId, name: 'Bench' }, ownerUserIds: ['usr_bench'] }),
      users: async (ids) => new Map(ids.map((id) => [id, { id, displayName: 'Bench' }])),
    };
    const subgraph = buildPaymentSubgraph({ config: paymentConfig({ ...process.env, PAYMENT_DATABASE_URL: url }), store, identitySecret, logger, directory });
    const port = await subgraph.start(0, '127.0.0.1');
    const ask = async (withCount: boolean, filter: Record<string, unknown>) => {
      // As the gateway does: a signed identity lives 60 s, and is reused for 30.
      const identity = await signIdentity({ kind: 'user', userId: 'usr_benchowner', sessionId: 'ses_bench' }, identitySecret, 'gateway');
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query: query(withCount), variables: { representations: [{ __typename: 'Business', id: BUSINESS }], filter } }),
      });
      const body = (await response.json()) as { data?: { _entities: Array<{ payments: { totalCount?: number; edges: unknown[] } }> }; errors?: unknown };
      if (body.errors || !body.data) throw new Error(`the subgraph answered ${JSON.stringify(body.errors)}`);
      return body.data._entities[0]!.payments;
    };

    console.log(`\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${REQUESTS} requests per case, one at a time`);
    console.log('case                           | matches   | page p50 / p99 ms | page+totalCount p50 / p99 ms');
    try {
      for (const [name, filter] of CASES) {
        const figures: string[] = [];
        let matches = 0;
        for (const withCount of [false, true]) {
          for (let i = 0; i < 10; i++) await ask(withCount, filter);
          const latencies: number[] = [];
          for (let i = 0; i < REQUESTS; i++) {
            const t0 = performance.now();
            const page = await ask(withCount, filter);
            latencies.push(performance.now() - t0);
            if (page.totalCount !== undefined) matches = page.totalCount;
          }
          const sorted = latencies.sort((a, b) => a - b);
          figures.push(`${percentile(sorted, 50).toFixed(1).padStart(6)} / ${percentile(sorted, 99).toFixed(1).padStart(6)}`);
        }
        console.log(`${name.padEnd(30)} | ${String(matches).padStart(9)} | ${figures[0]!.padEnd(17)} | ${figures[1]}`);
      }
    } finally {
      await subgraph.stop();
    }
  } finally {
    await store.$disconnect();
    await dropDatabases([url]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
