/**
 * Reporting reads go to each subgraph's read replica, except right after a
 * write that concerns them (read-your-writes): the payment subgraph's
 * dashboard, and the timeline and notification lists, which event consumers
 * write. Each "replica" here is a separate, migrated, empty database: a
 * replica that lags forever, so any read it serves shows up as missing data.
 */
import { randomUUID } from 'node:crypto';
import type { SubgraphName } from '@harbour/config';
import { migrate } from '@harbour/prisma';
import { businessKey, recentWritePrefix, userKey } from '@harbour/server';
import { Redis } from 'ioredis';
import { ok, signUp, type Actor } from './support/actors';
import { eventually } from './support/eventually';
import { dropDatabases, MYSQL_URL, REDIS_URL, uniqueRunId } from '@harbour/testing';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

const REPLICATED = ['payment', 'timeline', 'notification'] as const satisfies readonly SubgraphName[];
const runId = uniqueRunId();
const replicas = Object.fromEntries(
  REPLICATED.map((name) => {
    const url = new URL(MYSQL_URL);
    url.pathname = `/hbt_${runId}_${name}_replica`;
    return [name, url.toString()];
  }),
) as Record<(typeof REPLICATED)[number], string>;

let stack: RunningStack;
let redis: Redis;
let merchant: Actor;
let customer: Actor;
let businessId: string;
let paymentId: string;

beforeAll(async () => {
  const quiet = { logger: { info: () => undefined, warn: () => undefined } };
  for (const name of REPLICATED) await migrate(name, replicas[name], quiet);
  stack = await startStack({
    ...Object.fromEntries(REPLICATED.map((name) => [`${name.toUpperCase()}_REPLICA_URL`, replicas[name]])),
    // Longer than this test could take between a write and the read that checks it.
    ...Object.fromEntries(REPLICATED.map((name) => [`${name.toUpperCase()}_READ_YOUR_WRITES_SECONDS`, '120'])),
  });
  redis = new Redis(REDIS_URL);
  merchant = await signUp(stack, 'Replica Merchant');
  customer = await signUp(stack, 'Replica Customer');
  businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Replica Cafe', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '12.00' } })).createPaymentRequest;
  paymentId = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest.id;
}, stackStartTimeout(120_000));

afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
  await dropDatabases(Object.values(replicas));
});

/** Ends the read-your-writes window of `key` at once; true when a mark was there. */
async function forget(name: SubgraphName, key: string): Promise<boolean> {
  return (await redis.del(`${recentWritePrefix(stack.env.REDIS_KEY_PREFIX!, name)}${key}`)) === 1;
}

const kindsOf = (connection: { edges: Array<{ node: { kind: string } }> }) => connection.edges.map((edge) => edge.node.kind);
const timeline = async (actor: Actor) => ok(await actor.run('MyTimeline', { first: 20 })).me.timeline;
const notifications = async (actor: Actor) => ok(await actor.run('MyNotifications', { first: 20 })).me.notifications;

it('a merchant who has just been paid sees it; older reads come from the replica', async () => {
  const window = { id: businessId, from: '2020-01-01T00:00:00+08:00', to: '2100-01-01T00:00:00+08:00' };
  const fresh = ok(await merchant.run('BusinessDashboard', window)).business;
  expect(fresh.salesSummary.count).toBe(1);
  expect(fresh.payments.edges.map((edge: any) => edge.node.id)).toEqual([paymentId]);

  // Once the read-your-writes window has passed (its Redis mark is gone), the replica answers.
  expect(await forget('payment', businessKey(businessId))).toBe(true);
  const fromReplica = ok(await merchant.run('BusinessDashboard', window)).business;
  expect(fromReplica.salesSummary.count).toBe(0);
  expect(fromReplica.payments.edges).toEqual([]);
  // The caller's own wallet is never read from the replica.
  expect(ok(await customer.run('Me')).me.wallet.balance.amount).toBe('8.00');
});

it('a timeline the consumer has just written is read from the primary; later ones from the replica', async () => {
  // Until the consumer has written (and marked) the timeline, reads go to the empty replica: polling sees it only through the mark.
  await eventually(() => timeline(customer), (page) => expect(kindsOf(page)).toEqual(['PAYMENT_SENT', 'WALLET_TOPPED_UP']));
  await eventually(() => timeline(merchant), (page) => expect(kindsOf(page)).toEqual(['PAYMENT_RECEIVED']));

  expect(await forget('timeline', userKey(customer.id))).toBe(true);
  expect((await timeline(customer)).edges).toEqual([]);
  // Each user's mark is their own: the merchant's timeline still comes from the primary.
  expect(kindsOf(await timeline(merchant))).toEqual(['PAYMENT_RECEIVED']);
});

it('notifications the consumer has just made, and the caller marking them read, are read from the primary', async () => {
  const made = await eventually(() => notifications(customer), (list) => expect(kindsOf(list)).toEqual(['PAYMENT_SENT', 'WALLET_TOPPED_UP']));
  expect(made.unreadCount).toBe(2);

  expect(await forget('notification', userKey(customer.id))).toBe(true);
  const fromReplica = await notifications(customer);
  expect(fromReplica).toEqual({ unreadCount: 0, edges: [] });

  // The caller's own write puts their next read back on the primary.
  const [newest] = made.edges;
  expect(ok(await customer.run('MarkNotificationsRead', { ids: [newest.node.id] })).markNotificationsRead.unreadCount).toBe(1);
  const afterMarking = await notifications(customer);
  expect(afterMarking.unreadCount).toBe(1);
  expect(afterMarking.edges.map((edge: any) => [edge.node.id, edge.node.read])).toEqual([
    [newest.node.id, true],
    [made.edges[1].node.id, false],
  ]);
});
