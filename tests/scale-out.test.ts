/**
 * Scale-out, proven locally: two gateway processes and two processes of the
 * payment subgraph against the same databases, Redis and event bus. Gateway
 * A (the stack's) sends the payment subgraph's share of each operation to
 * payment A, gateway B to payment B, and the concurrent workload of
 * tests/payment-concurrency.test.ts is spread over both gateways: each
 * request to either at random, and a request sent twice at once (same
 * idempotency key) through both at the same moment. Meanwhile subscribers
 * listen on both gateways. Afterwards the ledger holds its invariants, each
 * key moved money at most once, every event was applied exactly once by
 * every consumer, each notification was made once, and each subscriber was
 * told each thing once.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from '@harbour/testing';
import { ok, signUp, type Actor } from './support/actors';
import { contractOperation as op } from './support/contract';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { errorCodes, postGraphQL } from './support/graphql-client';
import { expectLedgerToMatch, minor, runPaymentWorkload } from './support/payment-workload';
import { startSecondReplicas, type SecondReplicas } from './support/second-replicas';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

const CUSTOMERS = 16;
const OPERATIONS = 400;
/** Payment requests both of the merchant's sockets (one per gateway) watch. */
const WATCHED = 16;
const TOP_UP = '5000.00';
/** Rows each event of the payment subgraph makes in a timeline and in notifications: one per side. */
const ROWS_PER_EVENT: Record<string, number> = { 'payment.completed': 2, 'payment.refunded': 2, 'transfer.completed': 2, 'wallet.topped_up': 1 };

let stack: RunningStack;
let second: SecondReplicas | undefined;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
  second = await startSecondReplicas(stack);
}, stackStartTimeout(180_000));

afterAll(async () => {
  for (const { client } of sockets) await client.dispose();
  await second?.stop();
  await stack?.stop();
});

function connect(gatewayUrl: string, token: string): LiveClient {
  const live = liveClient(gatewayUrl, token);
  sockets.push(live);
  return live;
}

/** Rows of a query on one of the stack's databases. */
async function query<T>(store: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await connectToDatabase(stack.env[`${store.toUpperCase()}_DATABASE_URL`]!);
  try {
    return (await connection.query(sql, values)) as T[];
  } finally {
    await connection.end();
  }
}

const countsBy = (rows: Array<{ id: string; n: bigint | number }>) => Object.fromEntries(rows.map((row) => [row.id, Number(row.n)]));

it('two gateways and two payment processes under the concurrent workload keep every invariant', async () => {
  const gateways = [stack.gatewayUrl, second!.gateway.url];
  const merchant = await signUp(stack, 'Scale Merchant');
  const businesses: string[] = [];
  for (const name of ['Busy Cafe', 'Quiet Books', 'Night Market']) {
    businesses.push(ok(await merchant.run('RegisterBusiness', { input: { name, city: 'Hong Kong' } })).registerBusiness.id);
  }
  const customers: Actor[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await signUp(stack, `Customer ${i}`));

  // Each customer listens for notifications on one gateway or the other, from before their first one.
  const notices = customers.map((customer, i) => new Collected(connect(gateways[i % 2]!, customer.token).client, op('NotificationAdded')));
  const redis = new Redis(REDIS_URL);
  try {
    await eventually(
      () => Promise.all(customers.map(async (customer) => (await redis.pubsub('NUMSUB', `${stack.env.REDIS_KEY_PREFIX}notification-added:${customer.id}`))[1])),
      (listeners) => expect(listeners.every((count) => Number(count) >= 1)).toBe(true),
    );
  } finally {
    redis.disconnect();
  }
  await Promise.all(customers.map((customer, i) => postGraphQL(gateways[i % 2]!, op('TopUpWallet'), { input: { amount: TOP_UP, idempotencyKey: randomUUID() } }, { token: customer.token }).then(ok)));

  // The merchant watches some payment requests on both gateways at once, whichever gateway (and payment process) pays them.
  const merchantSockets = gateways.map((url) => connect(url, merchant.token));
  const watched: Array<{ id: string; updates: Collected[] }> = [];
  const beforePay = async (paymentRequestId: string) => {
    if (watched.length >= WATCHED) return;
    const updates = merchantSockets.map((socket) => new Collected(socket.client, op('PaymentRequestUpdated'), { id: paymentRequestId }));
    watched.push({ id: paymentRequestId, updates });
    await Promise.all(updates.map((collected) => collected.atLeast(1, 15_000)));
  };

  const startedAt = Date.now();
  const outcome = await runPaymentWorkload({ gateways, merchant, businesses, customers, total: OPERATIONS, beforePay });
  process.stdout.write(
    `scale-out: ${OPERATIONS} operations (${outcome.paymentsMade} payments, ${outcome.refundsMade} refunds, ${outcome.transfersMade} transfers) through 2 gateways and 2 payment processes in ${Date.now() - startedAt} ms\n`,
  );
  expect(outcome.paymentsMade).toBeGreaterThan(OPERATIONS / 2);
  await expectLedgerToMatch(stack.env.PAYMENT_DATABASE_URL!, outcome, { businesses, customers, topUpMinor: minor(TOP_UP) });

  // Every event either payment process wrote reaches every consumer group, and is applied there once. A payment
  // request's payment.completed (and payment.refunded) goes out as versions 1 and 2: one fact, applied once (factOf).
  const events = await query<{ id: string; type: string; payload: string | Record<string, unknown> }>('payment', 'SELECT id, type, payload FROM outbox_events');
  const factOfRow = (event: (typeof events)[number]) => {
    const payload = (typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload) as Record<string, string>;
    return event.type === 'payment.completed' ? payload.paymentId! : event.type === 'payment.refunded' ? payload.refundId! : event.id;
  };
  const factOfEvent = new Map(events.map((event) => [event.id, factOfRow(event)]));
  const facts = new Map(events.map((event) => [factOfEvent.get(event.id)!, event.type]));
  for (const [store, consumer] of [['timeline', 'timeline'], ['notification', 'notification'], ['social', 'social']] as const) {
    await eventually(
      async () => new Set((await query<{ event_id: string }>(store, 'SELECT event_id FROM processed_events WHERE consumer = ?', [consumer])).map((row) => row.event_id)),
      (processed) => expect([...facts.keys()].filter((fact) => !processed.has(fact))).toEqual([]),
      60_000,
    );
  }
  const expectedRows = Object.fromEntries([...facts].filter(([, type]) => ROWS_PER_EVENT[type]).map(([fact, type]) => [fact, ROWS_PER_EVENT[type]]));
  /** Rows per fact: each row names the event (of either version) that made it. */
  const rowsPerFact = (rows: Array<{ id: string; n: bigint | number }>) => {
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const fact = factOfEvent.get(row.id) ?? row.id;
      counts[fact] = (counts[fact] ?? 0) + Number(row.n);
    }
    return counts;
  };
  expect(rowsPerFact(await query('timeline', 'SELECT source_event_id AS id, COUNT(*) AS n FROM timeline_entries GROUP BY source_event_id'))).toEqual(expectedRows);
  expect(rowsPerFact(await query('notification', 'SELECT source_event_id AS id, COUNT(*) AS n FROM notifications GROUP BY source_event_id'))).toEqual(expectedRows);
  // Social counts each payer's payments per business: an event applied twice would count one twice.
  expect(countsBy(await query('social', 'SELECT business_id AS id, SUM(payment_count) AS n FROM business_payers GROUP BY business_id'))).toEqual(
    countsBy(await query('payment', 'SELECT business_id AS id, COUNT(*) AS n FROM payments GROUP BY business_id')),
  );

  // Each customer's subscriber got each of their notifications, once.
  const stored = await query<{ user_id: string; id: string }>('notification', 'SELECT user_id, id FROM notifications');
  const storedFor = (userId: string) => stored.filter((row) => row.user_id === userId).map((row) => row.id).sort();
  const receivedBy = (collected: Collected) => collected.results.map((result) => result.data?.notificationAdded?.id ?? JSON.stringify(result.errors));
  await eventually(
    async () => customers.map((customer, i) => [...new Set(receivedBy(notices[i]!))].sort().join() === storedFor(customer.id).join()),
    (complete) => expect(complete.every(Boolean)).toBe(true),
    30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  customers.forEach((customer, i) => expect(receivedBy(notices[i]!).sort()).toEqual(storedFor(customer.id)));

  // Each watched request: its state on subscribing, then PAID once on each gateway's socket if it was paid.
  const statuses = Object.fromEntries(
    (await query<{ id: string; status: string }>('payment', `SELECT id, status FROM payment_requests WHERE id IN (${watched.map(() => '?').join(', ')})`, watched.map((w) => w.id))).map(
      (row) => [row.id, row.status],
    ),
  );
  expect(Object.values(statuses)).toContain('PAID');
  const statusesOf = (collected: Collected) => collected.results.map((result) => result.data?.paymentRequestUpdated?.status ?? JSON.stringify(result.errors));
  for (const { id, updates } of watched) {
    for (const collected of updates) await collected.atLeast(statuses[id] === 'PAID' ? 2 : 1, 15_000);
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (const { id, updates } of watched) {
    for (const collected of updates) expect(statusesOf(collected)).toEqual(statuses[id] === 'PAID' ? ['PENDING', 'PAID'] : ['PENDING']);
  }

  // The load was spread as intended: gateway B depends on payment B, gateway A does not.
  await second!.payment.stop();
  const customer = customers[0]!;
  expect(errorCodes(await postGraphQL(gateways[1]!, op('Me'), {}, { token: customer.token })).length).toBeGreaterThan(0);
  expect(ok(await postGraphQL(gateways[0]!, op('Me'), {}, { token: customer.token })).me.wallet.balance.amount).toMatch(/^\d+\.\d\d$/);
}, 300_000);
