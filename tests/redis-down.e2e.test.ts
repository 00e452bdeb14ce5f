/**
 * Redis made unreachable for the gateway, under traffic, and given back.
 * The gateway reaches Redis through a TCP proxy (GATEWAY_REDIS_URL); the
 * subgraphs keep theirs. While the proxy is cut (connections refused) and
 * then black-holed (accepted, never answered): payments and queries go on
 * (rate limits fail open, revocation checks too), no answer is a 5xx and no
 * request outlives its client timeout; open subscriptions stay open and a new
 * one still gets its current state. When Redis is back, without a restart:
 * a subscription that missed a change gets the current state again, new
 * updates arrive, and rate limits count again.
 */
import { randomUUID } from 'node:crypto';
import { REDIS_URL } from '@harbour/testing';
import { Redis } from 'ioredis';
import { ok, signUp, type Actor } from './support/actors';
import { contractOperation as op } from './support/contract';
import type { GraphQLResponse } from './support/graphql-client';
import { eventually } from './support/eventually';
import { gatewayMetric } from './support/metrics';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { TcpProxy } from './support/tcp-proxy';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

/** The guard on every request of the traffic: past it, the request counts as hung. */
const CLIENT_TIMEOUT_MS = 10_000;

let stack: RunningStack;
let proxy: TcpProxy;
let redis: Redis;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  proxy = await TcpProxy.toRedis(REDIS_URL);
  proxy.open();
  redis = new Redis(REDIS_URL);
  stack = await startStack({ GATEWAY_REDIS_URL: proxy.redisUrl, LOG_LEVEL: 'info' });
}, stackStartTimeout(120_000));

afterAll(async () => {
  for (const { client } of sockets) await client.dispose();
  await stack?.stop();
  await proxy?.close();
  redis?.disconnect();
});

type Phase = 'before' | 'cut' | 'blackhole' | 'after';
interface Outcome {
  phase: Phase;
  operation: string;
  status?: number;
  errors?: unknown;
  failure?: string;
  /** How long the answer took (reported, not asserted). */
  ms: number;
}

/** Payments and queries in a loop, each bounded by the client timeout, every answer recorded with the phase it was sent in. */
class Traffic {
  phase: Phase = 'before';
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly done: Promise<void>;
  private readonly waiters: Array<() => void> = [];

  constructor(merchant: Actor, customer: Actor, businessId: string) {
    const send = async (actor: Actor, operation: string, variables: Record<string, unknown>): Promise<GraphQLResponse | undefined> => {
      const phase = this.phase;
      const sentAt = Date.now();
      try {
        const response = await stack.graphql(op(operation), variables, { token: actor.token, timeoutMs: CLIENT_TIMEOUT_MS });
        this.outcomes.push({ phase, operation, status: response.status, ...(response.body.errors ? { errors: response.body.errors } : {}), ms: Date.now() - sentAt });
        return response;
      } catch (error) {
        this.outcomes.push({ phase, operation, failure: String(error), ms: Date.now() - sentAt });
        return undefined;
      } finally {
        this.waiters.splice(0).forEach((wake) => wake());
      }
    };
    this.done = (async () => {
      while (this.running) {
        const created = await send(merchant, 'CreatePaymentRequest', { input: { businessId, amount: '1.00' } });
        const requestId = created?.body.data?.createPaymentRequest?.id as string | undefined;
        if (requestId) await send(customer, 'PayPaymentRequest', { input: { paymentRequestId: requestId, idempotencyKey: randomUUID() } });
        await send(customer, 'Me', {});
      }
    })();
  }

  /** Waits until `count` answers have come back in the current phase. */
  async answered(count: number): Promise<void> {
    while (this.outcomes.filter((outcome) => outcome.phase === this.phase).length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await this.done;
    return this.outcomes;
  }
}

/** Waits (bounded) until a subscription has delivered a result matching `accept`. */
async function delivered<T>(collected: Collected<T>, accept: (result: T | null | undefined) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!collected.results.some((result) => accept(result.data))) {
    await collected.atLeast(collected.results.length + 1, Math.max(1, deadline - Date.now()));
  }
}

/** The rate-limit counter of a user in Redis, once the gateway has written it (it does not while Redis is away). */
const rateCounter = (userId: string) => redis.hget(`${stack.env.REDIS_KEY_PREFIX}rate:user:${userId}`, 'c');

it('payments and queries go on with the gateway’s Redis cut and black-holed; subscriptions and rate limits recover without a restart', async () => {
  const merchant = await signUp(stack, 'Outage Merchant');
  const customer = await signUp(stack, 'Outage Customer');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Outage Shop', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '10000.00', idempotencyKey: randomUUID() } }));
  const watched = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '2.00' } })).createPaymentRequest;

  const merchantSocket = liveClient(stack.gatewayUrl, merchant.token);
  const customerSocket = liveClient(stack.gatewayUrl, customer.token);
  sockets.push(merchantSocket, customerSocket);
  const updates = new Collected(merchantSocket.client, op('PaymentRequestUpdated'), { id: watched.id });
  const notices = new Collected(customerSocket.client, op('NotificationAdded'));
  await delivered(updates, (data) => data?.paymentRequestUpdated.status === 'PENDING');
  // Rate limiting works before the outage: the customer's requests are counted in Redis.
  expect(Number(await rateCounter(customer.id))).toBeGreaterThan(0);

  const traffic = new Traffic(merchant, customer, businessId);
  await traffic.answered(6);

  // Cut: every connection to the gateway's Redis refused.
  traffic.phase = 'cut';
  proxy.cut();
  await traffic.answered(9);
  // A change while the gateway cannot hear of it: the subscriber must not miss it for good.
  const paidDuringCut = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: watched.id, idempotencyKey: randomUUID() } })).payPaymentRequest;
  // A new subscription still opens (revocation and rate limit fail open) and gets its current state.
  const second = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '3.00' } })).createPaymentRequest;
  const secondUpdates = new Collected(merchantSocket.client, op('PaymentRequestUpdated'), { id: second.id });
  await delivered(secondUpdates, (data) => data?.paymentRequestUpdated.status === 'PENDING');
  // Nobody new is counted while Redis is away, and nobody is refused for it.
  const newcomer = await signUp(stack, 'Outage Newcomer');
  ok(await newcomer.run('Me'));
  expect(await rateCounter(newcomer.id)).toBeNull();

  // Back.
  traffic.phase = 'after';
  proxy.open();
  // The subscription that missed the payment gets the current state once the gateway hears Redis again.
  await delivered(updates, (data) => data?.paymentRequestUpdated.status === 'PAID');
  expect(updates.results.at(-1)!.data!.paymentRequestUpdated.payment).toMatchObject({ id: paidDuringCut.id, status: 'COMPLETED' });
  // New updates flow again: to the subscription opened during the outage, and notifications.
  ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: second.id, idempotencyKey: randomUUID() } }));
  await delivered(secondUpdates, (data) => data?.paymentRequestUpdated.status === 'PAID');
  await delivered(notices, (data) => data?.notificationAdded.body.includes('HK$3.00') === true);
  // Rate limiting counts again (the gateway's client reconnects on its own).
  for (let attempt = 0; (await rateCounter(newcomer.id)) === null; attempt++) {
    if (attempt > 50) throw new Error('Rate limits never counted again after Redis came back.');
    ok(await newcomer.run('Me'));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await traffic.answered(6);
  const third = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '4.00' } })).createPaymentRequest;
  const thirdUpdates = new Collected(merchantSocket.client, op('PaymentRequestUpdated'), { id: third.id });
  await delivered(thirdUpdates, (data) => data?.paymentRequestUpdated.status === 'PENDING');

  // Black hole: connections accepted and never answered, as a hung Redis; they stay hung after it is back.
  traffic.phase = 'blackhole';
  proxy.blackhole();
  await traffic.answered(9);
  ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: third.id, idempotencyKey: randomUUID() } }));
  traffic.phase = 'after';
  proxy.open();
  // The subscriber's silent connection is noticed and replaced: the payment made meanwhile arrives.
  await delivered(thirdUpdates, (data) => data?.paymentRequestUpdated.status === 'PAID', 30_000);
  await traffic.answered(6);
  const outcomes = await traffic.stop();

  // Every request of every phase was answered, in time, without a 5xx or an error.
  const failed = outcomes.filter((outcome) => outcome.failure || outcome.status !== 200 || outcome.errors);
  expect(failed).toEqual([]);
  const count = (phase: Phase) => outcomes.filter((outcome) => outcome.phase === phase).length;
  expect([count('cut'), count('blackhole')].every((n) => n >= 9)).toBe(true);
  const payments = outcomes.filter((outcome) => outcome.operation === 'PayPaymentRequest');
  expect(new Set(payments.map((outcome) => outcome.phase))).toEqual(new Set(['before', 'cut', 'blackhole', 'after']));

  // The same gateway process throughout, alive and ready; the outage was logged, not once per request.
  expect((await fetch(`http://127.0.0.1:${stack.ports.gateway}/health/ready`)).status).toBe(200);
  const logged = stack.output().split('\n');
  const outageLines = logged.filter((line) => line.includes('rate_limit: Redis unavailable')).length;
  expect(outageLines).toBeGreaterThan(0);
  expect(outageLines).toBeLessThan(count('cut') + count('blackhole'));
  expect(logged.some((line) => line.includes('subscriptions: Redis is back'))).toBe(true);
  // Every failure degraded around was counted, by component.
  for (const component of ['rate_limit', 'revocation', 'subscriptions']) {
    expect(await gatewayMetric(stack, 'harbour_gateway_redis_failures_total', { component })).toBeGreaterThan(0);
  }
  // Revocation checks answered without Redis were counted; after it, the watch is on again.
  expect(await gatewayMetric(stack, 'harbour_gateway_revocation_checks_total', { answer: 'failed_open' })).toBeGreaterThan(0);
  await eventually(
    () => gatewayMetric(stack, 'harbour_gateway_revocation_watch'),
    (watching) => expect(watching).toBe(1),
  );
  expect(stack.output()).not.toMatch(/gateway\s+\|.*exited/);
  const slowest = (phase: Phase) => Math.max(...outcomes.filter((outcome) => outcome.phase === phase).map((outcome) => outcome.ms));
  process.stdout.write(
    `redis-down: ${outcomes.length} requests (${count('cut')} while cut, ${count('blackhole')} while black-holed), ` +
      `slowest ${slowest('before')} / ${slowest('cut')} / ${slowest('blackhole')} / ${slowest('after')} ms (before / cut / black hole / after), ` +
      `${outageLines} rate-limit outage log lines\n`,
  );
}, 180_000);
