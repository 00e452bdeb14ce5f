/**
 * The relay against a real payment store (MariaDB) and, where it matters, the
 * real Redis bus.
 */
import { createBusinessStore } from '@harbour/prisma/business';
import { createPaymentStore } from '@harbour/prisma/payment';
import { createUserStore } from '@harbour/prisma/user';
import type { DomainEvent } from '../../definitions/envelope';
import { createEvent, outboxRow } from '../../definitions/envelope';
import { businessRegistered } from '../../definitions/business';
import { userSignedUp } from '../../definitions/user';
import { RedisStreamsBus } from '../../bus/redis/bus';
import { transferEvent } from '../../__tests__/support/events';
import { testLogger } from '../../__tests__/support/logger';
import { createTestDatabase, deleteRedisPrefix, REDIS_URL, redisPort, uniqueRunId } from '../../__tests__/support/resources';
import { TcpProxy } from '../../__tests__/support/tcp-proxy';
import { deferred, eventually, Recorder } from '../../__tests__/support/waiting';
import { OutboxRelay, type OutboxDestination, type OutboxRelayOptions } from '../relay';

type PaymentStore = ReturnType<typeof createPaymentStore>;

let database: Awaited<ReturnType<typeof createTestDatabase<PaymentStore>>>;
let db: PaymentStore;
const relays: OutboxRelay[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase('payment', (url) => createPaymentStore(url));
  db = database.client;
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM outbox_events');
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function relay(options: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, 'destination'>): OutboxRelay {
  const created = new OutboxRelay({ client: db, source: 'payment', logger: testLogger, pollMs: 200, backoff: { initialMs: 50, maxMs: 400 }, ...options });
  relays.push(created);
  return created;
}

/** Writes the events as the payment subgraph does: in a transaction, through the Prisma model. */
async function write(events: DomainEvent[], client: PaymentStore = db): Promise<void> {
  await client.$transaction(async (tx) => {
    for (const event of events) await tx.outboxEvent.create({ data: outboxRow(event as DomainEvent<{ amountMinor: string }>) });
  });
}

function recorder(): OutboxDestination & { events: Recorder<DomainEvent>; batches: number[] } {
  const events = new Recorder<DomainEvent>();
  const batches: number[] = [];
  return {
    events,
    batches,
    async publish(batch) {
      batches.push(batch.length);
      for (const event of batch) events.push(event);
    },
  };
}

async function unmarked(marker = 'published_at'): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM outbox_events WHERE ${marker} IS NULL`);
  return Number(row!.n);
}

const ids = (events: readonly DomainEvent[]) => events.map((event) => event.id);

/** Per aggregate, the ids in the order they appear. */
function byAggregate(events: readonly DomainEvent[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const event of events) (groups[event.aggregateId] ??= []).push(event.id);
  return groups;
}

async function redisBus(redis: string, prefix: string): Promise<RedisStreamsBus> {
  const bus = new RedisStreamsBus({ redis, prefix, logger: testLogger, publishTimeoutMs: 500 });
  cleanups.push(() => bus.close());
  return bus;
}

test('publishes in sequence order, with envelopes intact, and marks what it published', async () => {
  const events = Array.from({ length: 23 }, (_, n) => transferEvent(`trf_${n % 3}`, n));
  for (let i = 0; i < events.length; i += 4) await write(events.slice(i, i + 4));
  const destination = recorder();
  const outbox = relay({ destination, batchSize: 5 });
  outbox.start();
  const received = await destination.events.waitFor(23);
  expect(ids(received)).toEqual(ids(events));
  expect(received[4]).toEqual(events[4]);
  await eventually(async () => (await unmarked()) === 0, 10_000, 'every row marked');
  expect(destination.batches.slice(0, 5)).toEqual([5, 5, 5, 5, 3]);
  expect(await outbox.metrics()).toMatchObject({ published: 23, batches: 5, failures: 0, lagMs: 0 });
});

test('wake() relays a new event at once rather than at the next poll', async () => {
  const destination = recorder();
  const outbox = relay({ destination, pollMs: 60_000 });
  outbox.start();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  await write([transferEvent('trf_w', 1)]);
  outbox.wake();
  await destination.events.waitFor(1, 10_000);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('two relays of one store (two pods) publish each event once, each aggregate in order', async () => {
  const prefix = `hbt:${uniqueRunId()}:`;
  cleanups.push(() => deleteRedisPrefix(prefix));
  const bus = await redisBus(REDIS_URL, prefix);
  const received = new Recorder<DomainEvent>();
  await bus.subscribe('check', 'c1', async (event) => received.push(event), { blockMs: 100 }).ready;

  const secondPod = createPaymentStore(database.url);
  cleanups.push(() => secondPod.$disconnect());
  const publisherBus = await redisBus(REDIS_URL, prefix);
  const pods = [relay({ destination: publisherBus, batchSize: 7 }), relay({ client: secondPod, destination: publisherBus, batchSize: 7 })];
  pods.forEach((pod) => pod.start());

  // Four writers, each owning some aggregates, committing small transactions while both relays run.
  const written: DomainEvent[] = [];
  await Promise.all(
    [0, 1, 2, 3].map(async (writer) => {
      for (let n = 0; n < 30; n++) {
        const batch = [transferEvent(`trf_${writer}_${n % 3}`, n), ...(n % 4 === 0 ? [transferEvent(`trf_${writer}_${n % 3}`, n + 100)] : [])];
        await write(batch, writer % 2 ? secondPod : db);
        written.push(...batch);
        pods[n % 2]!.wake();
      }
    }),
  );
  await received.waitFor(written.length, 30_000);
  await eventually(async () => (await unmarked()) === 0, 10_000, 'every row marked');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(received.items).toHaveLength(written.length);
  expect(new Set(ids(received.items))).toEqual(new Set(ids(written)));
  expect(byAggregate(received.items)).toEqual(byAggregate(written));
  const [first, second] = await Promise.all(pods.map((pod) => pod.metrics()));
  expect(first!.published + second!.published).toBe(written.length);
  // Both lock through the same index, in the same order: they wait for each other, never deadlock.
  expect(first!.failures + second!.failures).toBe(0);
});

test('while the bus is down nothing is marked or lost; once it is back every event arrives exactly once', async () => {
  const prefix = `hbt:${uniqueRunId()}:`;
  cleanups.push(() => deleteRedisPrefix(prefix));
  const proxy = await TcpProxy.start(redisPort());
  cleanups.push(() => proxy.close());
  const flakyBus = await redisBus(proxy.url, prefix);
  const subscriberBus = await redisBus(REDIS_URL, prefix);
  const received = new Recorder<DomainEvent>();
  await subscriberBus.subscribe('check', 'c1', async (event) => received.push(event), { blockMs: 100 }).ready;

  const outbox = relay({ destination: flakyBus, batchSize: 4 });
  outbox.start();
  const before = [transferEvent('trf_a', 0)];
  await write(before);
  outbox.wake();
  await received.waitFor(1);
  // Cut only once that batch committed: cutting while its reply is on the wire would (rightly) republish it.
  await eventually(async () => (await unmarked()) === 0, 10_000, 'the first event marked');

  await proxy.cut();
  const during = Array.from({ length: 10 }, (_, n) => transferEvent(`trf_${n % 2 ? 'a' : 'b'}`, n + 1));
  for (let i = 0; i < during.length; i += 2) {
    await write(during.slice(i, i + 2));
    outbox.wake();
  }
  await eventually(async () => (await outbox.metrics()).consecutiveFailures >= 3, 20_000, 'the relay to fail a few times');
  expect(await unmarked()).toBe(10);
  expect(received.items).toHaveLength(1);
  expect((await outbox.metrics()).lagMs).toBeGreaterThan(0);

  await proxy.resume();
  await received.waitFor(11, 30_000);
  await eventually(async () => (await unmarked()) === 0, 10_000, 'every row marked');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(ids(received.items)).toEqual(ids([...before, ...during]));
  expect(await outbox.metrics()).toMatchObject({ published: 11, consecutiveFailures: 0, lagMs: 0 });
});

test('a relay stopped mid-way finishes its batch; another relay resumes after it', async () => {
  const events = Array.from({ length: 12 }, (_, n) => transferEvent(`trf_${n % 2}`, n));
  await write(events);
  const inSecondBatch = deferred();
  const release = deferred();
  const first: DomainEvent[] = [];
  let calls = 0;
  const stopping = relay({
    batchSize: 5,
    destination: {
      async publish(batch) {
        if (++calls === 2) {
          inSecondBatch.resolve();
          await release.promise;
        }
        first.push(...batch);
      },
    },
  });
  stopping.start();
  await inSecondBatch.promise;
  const stopped = stopping.stop();
  release.resolve();
  await stopped;
  expect(ids(first)).toEqual(ids(events.slice(0, 10)));
  expect(await unmarked()).toBe(2);

  const destination = recorder();
  relay({ destination, batchSize: 5 }).start();
  expect(ids(await destination.events.waitFor(2))).toEqual(ids(events.slice(10)));
});

test('the bus and the analytics feed each have their own marker', async () => {
  const events = Array.from({ length: 6 }, (_, n) => transferEvent('trf_m', n));
  await write(events);
  const bus = recorder();
  relay({ destination: bus }).start();
  await bus.events.waitFor(6);
  await eventually(async () => (await unmarked('published_at')) === 0, 10_000, 'bus marker');
  expect(await unmarked('analytics_published_at')).toBe(6);

  const analytics = recorder();
  const feedRelay = relay({ destination: analytics, marker: 'analytics_published_at' });
  feedRelay.start();
  expect(ids(await analytics.events.waitFor(6))).toEqual(ids(events));
  await eventually(async () => (await unmarked('analytics_published_at')) === 0, 10_000, 'analytics marker');
  expect(() => new OutboxRelay({ client: db, source: 'payment', destination: bus, marker: 'sent_at' as never })).toThrow(TypeError);
});

test('reports the age of the oldest unpublished event as lag', async () => {
  const old = transferEvent('trf_l', 0);
  await write([{ ...old, occurredAt: new Date(Date.now() - 5_000).toISOString() }]);
  const outbox = relay({ destination: recorder() });
  expect((await outbox.metrics()).lagMs).toBeGreaterThanOrEqual(5_000);
  expect(await outbox.relayOnce()).toBe(1);
  expect(await outbox.metrics()).toMatchObject({ lagMs: 0, published: 1 });
});

test('relays the user and business stores the same way, naming them as the source', async () => {
  const user = await createTestDatabase('user', (url) => createUserStore(url));
  const business = await createTestDatabase('business', (url) => createBusinessStore(url));
  try {
    const signedUp = createEvent(userSignedUp, {
      source: 'user', aggregateType: 'user', aggregateId: 'usr_1', payload: { userId: 'usr_1', displayName: 'Ada', signedUpAt: new Date().toISOString() },
    });
    const registered = createEvent(businessRegistered, {
      source: 'business', aggregateType: 'business', aggregateId: 'biz_1',
      payload: { businessId: 'biz_1', name: 'Lucky Dim Sum', city: 'Hong Kong', merchantCategoryCode: '5812', ownerUserId: 'usr_1', registeredAt: new Date().toISOString() },
    });
    await user.client.$transaction((tx) => tx.outboxEvent.create({ data: outboxRow(signedUp) }));
    await business.client.$transaction((tx) => tx.outboxEvent.create({ data: outboxRow(registered) }));
    const fromUser = recorder();
    const fromBusiness = recorder();
    expect(await relay({ client: user.client, source: 'user', destination: fromUser }).relayOnce()).toBe(1);
    expect(await relay({ client: business.client, source: 'business', destination: fromBusiness }).relayOnce()).toBe(1);
    expect(fromUser.events.items).toEqual([signedUp]);
    expect(fromBusiness.events.items).toEqual([registered]);
  } finally {
    await user.drop();
    await business.drop();
  }
});
