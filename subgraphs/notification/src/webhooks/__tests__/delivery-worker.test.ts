/**
 * The delivery worker on real MariaDB, sending to local receivers: success,
 * retries, exhaustion, 410 and the 5-day rule disabling an endpoint (its
 * OWNERs told), per-endpoint concurrency, and signing during a rotation
 * (verified with the `standardwebhooks` package, as a partner would).
 */
import { Webhook } from 'standardwebhooks';
import type { NotificationStore } from '@harbour/prisma/notification';
import { DisabledReason } from '../rules';
import { eventually, makeDelivery, makeEndpoint, runUntil, secrets, startDatabase, startReceiver, testWorker, type Receiver, type TestDatabase } from './support/webhooks';

let db: TestDatabase;
let store: NotificationStore;
const receivers: Receiver[] = [];

beforeAll(async () => {
  db = await startDatabase();
  store = db.store;
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await db?.close();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

const deliveryOf = (id: string) => store.webhookDelivery.findUniqueOrThrow({ where: { id } });
const statusOf = async (id: string) => (await deliveryOf(id)).status;

test('a 2xx answer: SUCCEEDED after one attempt, signed as Standard Webhooks verify, the attempt kept', async () => {
  const target = await receiver();
  const { endpoint, secret } = await makeEndpoint(store, { url: target.url });
  const deliveryId = await makeDelivery(store, endpoint);

  await runUntil(testWorker({ store }), async () => (await statusOf(deliveryId)) === 'SUCCEEDED', 'the delivery to succeed');

  const delivery = await deliveryOf(deliveryId);
  expect(delivery).toMatchObject({ attempts: 1, lastResponseStatus: 200, nextAttemptAt: null, leaseOwner: null, lastError: null });
  expect(target.received).toHaveLength(1);
  const [request] = target.received;
  const verified = new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>) as { id: string; type: string };
  expect(verified).toMatchObject({ id: delivery.eventId, type: 'payment.completed', apiVersion: '2026-12-01' });
  expect(request!.headers['webhook-id']).toBe(delivery.eventId);
  const attempts = await store.webhookAttempt.findMany({ where: { deliveryId } });
  expect(attempts).toEqual([expect.objectContaining({ number: 1, ok: true, responseStatus: 200, responseBody: 'ok', requestBody: request!.body })]);
  expect((await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).lastSuccessAt).not.toBeNull();
});

test('a failure is retried on the schedule and then succeeds, with the same webhook-id', async () => {
  const target = await receiver((_request, response, n) => response.writeHead(n === 1 ? 503 : 204).end());
  const { endpoint } = await makeEndpoint(store, { url: target.url });
  const deliveryId = await makeDelivery(store, endpoint);

  await runUntil(testWorker({ store }), async () => (await statusOf(deliveryId)) === 'SUCCEEDED', 'the retry to succeed');

  expect(await deliveryOf(deliveryId)).toMatchObject({ attempts: 2, lastResponseStatus: 204 });
  expect(target.received.map((request) => request.headers['webhook-id'])).toEqual([target.received[0]!.headers['webhook-id'], target.received[0]!.headers['webhook-id']]);
  // The 100 ms pause of the schedule (no jitter here) came between them.
  expect(target.received[1]!.at - target.received[0]!.at).toBeGreaterThanOrEqual(95);
  const attempts = await store.webhookAttempt.findMany({ where: { deliveryId }, orderBy: { number: 'asc' } });
  expect(attempts.map(({ ok, responseStatus }) => [ok, responseStatus])).toEqual([
    [false, 503],
    [true, 204],
  ]);
});

test('when the schedule is used up the delivery is EXHAUSTED (1 attempt + 2 retries)', async () => {
  const target = await receiver((_request, response) => response.writeHead(500).end('broken'));
  const { endpoint } = await makeEndpoint(store, { url: target.url });
  const deliveryId = await makeDelivery(store, endpoint);

  await runUntil(testWorker({ store }), async () => (await statusOf(deliveryId)) === 'EXHAUSTED', 'the delivery to be exhausted');

  expect(await deliveryOf(deliveryId)).toMatchObject({ attempts: 3, lastResponseStatus: 500, nextAttemptAt: null });
  expect(target.received).toHaveLength(3);
  const endpointAfter = await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
  expect(endpointAfter).toMatchObject({ status: 'ENABLED', lastSuccessAt: null });
  expect(endpointAfter.failingSince).not.toBeNull();
});

async function owners(businessId: string, roles: Record<string, string>) {
  for (const [userId, role] of Object.entries(roles)) await store.businessRoleHolder.create({ data: { businessId, userId, role, updatedAt: new Date() } });
}

test('HTTP 410 disables the endpoint at once, cancels what was due, and tells every OWNER', async () => {
  const target = await receiver((_request, response) => response.writeHead(410).end('gone'));
  const businessId = 'biz_01JD0000000000000000GONE41';
  await owners(businessId, { usr_owner_a: 'OWNER', usr_owner_b: 'OWNER', usr_cashier: 'CASHIER' });
  const { endpoint } = await makeEndpoint(store, { url: target.url, businessId });
  const first = await makeDelivery(store, endpoint);
  const later = await makeDelivery(store, endpoint, new Date(Date.now() + 60_000));

  await runUntil(testWorker({ store }), async () => (await statusOf(first)) === 'FAILED', 'the 410 to be recorded');

  expect(await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ status: 'DISABLED', disabledReason: DisabledReason.GONE });
  expect(await deliveryOf(first)).toMatchObject({ attempts: 1, lastResponseStatus: 410, nextAttemptAt: null });
  expect(await deliveryOf(later)).toMatchObject({ status: 'CANCELLED', attempts: 0, nextAttemptAt: null });
  const notices = await store.notification.findMany({ where: { kind: 'WEBHOOK_ENDPOINT_DISABLED', params: { path: '$.endpointId', equals: endpoint.id } }, orderBy: { userId: 'asc' } });
  expect(notices.map(({ userId, params }) => [userId, params])).toEqual([
    ['usr_owner_a', { endpointId: endpoint.id, businessId, url: target.url, reason: 'GONE' }],
    ['usr_owner_b', { endpointId: endpoint.id, businessId, url: target.url, reason: 'GONE' }],
  ]);
  expect(target.received).toHaveLength(1);
});

test('failing for 5 consecutive days disables the endpoint (the clock injected); a success in between starts the count again', async () => {
  const target = await receiver((_request, response, n) => response.writeHead(n === 2 ? 200 : 500).end());
  const businessId = 'biz_01JD0000000000000000FIVEDY';
  await owners(businessId, { usr_five_owner: 'OWNER' });
  let clock = new Date('2027-01-04T00:00:00.000Z');
  const { endpoint } = await makeEndpoint(store, { url: target.url, businessId, createdAt: new Date('2026-12-01T00:00:00.000Z') });
  // Retries 30 days on: none comes due within the test's days, so the n-th request is the n-th delivery.
  const worker = () => testWorker({ store, now: () => clock, retrySchedule: [30 * 86_400_000] });
  const attempted = (id: string, n: number) => async () => (await deliveryOf(id)).attempts === n;

  // Day 0: fails (created a month ago: the 5 days count from the first failure, not from creation).
  const a = await makeDelivery(store, endpoint, clock);
  await runUntil(worker(), attempted(a, 1), 'the first failure');
  expect((await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toEqual(clock);
  // Day 3: another delivery succeeds; the count restarts.
  clock = new Date('2027-01-07T00:00:00.000Z');
  const b = await makeDelivery(store, endpoint, clock);
  await runUntil(worker(), async () => (await statusOf(b)) === 'SUCCEEDED', 'the success');
  expect((await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
  // Day 4 fails; day 9 (5 days later, less 1 ms) still ENABLED; 5 days on the dot: DISABLED.
  clock = new Date('2027-01-08T00:00:00.000Z');
  const c = await makeDelivery(store, endpoint, clock);
  await runUntil(worker(), attempted(c, 1), 'the next failure');
  clock = new Date('2027-01-12T23:59:59.999Z');
  const d = await makeDelivery(store, endpoint, clock);
  await runUntil(worker(), attempted(d, 1), 'a failure within 5 days');
  expect((await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).status).toBe('ENABLED');
  clock = new Date('2027-01-13T00:00:00.000Z');
  const e = await makeDelivery(store, endpoint, clock);
  await runUntil(worker(), attempted(e, 1), 'the failure 5 days on');

  expect(await store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ status: 'DISABLED', disabledReason: DisabledReason.FAILING });
  expect(await store.notification.count({ where: { userId: 'usr_five_owner', kind: 'WEBHOOK_ENDPOINT_DISABLED' } })).toBe(1);
  // Its retries still due are not sent any more.
  expect(await deliveryOf(c)).toMatchObject({ status: 'CANCELLED', nextAttemptAt: null });
});

test('a receiver that hangs does not delay another endpoint: it holds its 2 slots, no more', async () => {
  const hanging = await receiver(() => undefined);
  const healthy = await receiver();
  const slow = await makeEndpoint(store, { url: hanging.url });
  const fast = await makeEndpoint(store, { url: healthy.url });
  const early = new Date(Date.now() - 1_000);
  const stuck = [];
  for (let i = 0; i < 6; i += 1) stuck.push(await makeDelivery(store, slow.endpoint, early));
  const wanted = await makeDelivery(store, fast.endpoint);

  const worker = testWorker({ store, timeoutMs: 2_000, leaseMs: 5_000, concurrency: 4 });
  const started = Date.now();
  const running = worker.run();
  try {
    await eventually(async () => (await statusOf(wanted)) === 'SUCCEEDED', 'the healthy endpoint to get its delivery', 1_500);
    const elapsed = Date.now() - started;
    // Well inside the hanging receiver's 2 s timeout, while it holds exactly its 2 slots.
    expect(elapsed).toBeLessThan(1_500);
    expect(hanging.received.length).toBe(2);
    expect(await store.webhookDelivery.count({ where: { endpointId: slow.endpoint.id, leaseUntil: { not: null } } })).toBe(2);
  } finally {
    worker.stop();
    await running;
  }
});

test('within 24 hours of a rotation both secrets sign, and either verifies; after it only the new one', async () => {
  const target = await receiver();
  const { endpoint, secret: oldSecret } = await makeEndpoint(store, { url: target.url });
  const newSecret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  let clock = new Date();
  await store.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { secret: secrets.encrypt(newSecret, endpoint.id), previousSecret: endpoint.secret, previousSecretExpiresAt: new Date(clock.getTime() + 24 * 3_600_000) },
  });
  const during = await makeDelivery(store, endpoint, clock);
  await runUntil(testWorker({ store, now: () => clock }), async () => (await statusOf(during)) === 'SUCCEEDED', 'the delivery during the rotation');

  const [signed] = target.received;
  const headers = signed!.headers as Record<string, string>;
  expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
  expect(() => new Webhook(oldSecret).verify(signed!.body, headers)).not.toThrow();
  expect(() => new Webhook(newSecret).verify(signed!.body, headers)).not.toThrow();

  // 25 hours on (the worker's clock).
  clock = new Date(clock.getTime() + 25 * 3_600_000);
  const after = await makeDelivery(store, endpoint, clock);
  await runUntil(testWorker({ store, now: () => clock }), async () => (await statusOf(after)) === 'SUCCEEDED', 'the delivery after the rotation');
  const later = target.received[1]!;
  expect((later.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
  // standardwebhooks checks the timestamp against the clock: verify as of the worker's clock (timers stay real).
  jest.useFakeTimers({ now: clock, doNotFake: ['setTimeout', 'setInterval', 'setImmediate', 'nextTick', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'performance', 'hrtime'] });
  try {
    expect(() => new Webhook(newSecret).verify(later.body, later.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(later.body, later.headers as Record<string, string>)).toThrow();
  } finally {
    jest.useRealTimers();
  }
});

test('deliveries of an endpoint disabled or deleted before they are due are not sent', async () => {
  const target = await receiver();
  const disabled = await makeEndpoint(store, { url: target.url });
  const deleted = await makeEndpoint(store, { url: target.url });
  const a = await makeDelivery(store, disabled.endpoint);
  const b = await makeDelivery(store, deleted.endpoint);
  await store.webhookEndpoint.update({ where: { id: disabled.endpoint.id }, data: { status: 'DISABLED', disabledReason: DisabledReason.BY_OWNER } });
  await store.webhookEndpoint.update({ where: { id: deleted.endpoint.id }, data: { deletedAt: new Date() } });

  await runUntil(testWorker({ store }), async () => (await statusOf(a)) === 'CANCELLED' && (await statusOf(b)) === 'CANCELLED', 'both to be cancelled');
  expect(target.received).toHaveLength(0);
  expect(await store.webhookAttempt.count({ where: { deliveryId: { in: [a, b] } } })).toBe(0);
});
