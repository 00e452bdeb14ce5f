/**
 * The analytics feed over real AMQP: the Event Hubs SDK talks to a local
 * AMQP 1.0 peer (amqp-broker.ts) on loopback, which records what arrives.
 */
import { ConfigError } from '@harbour/config';
import { createPaymentStore } from '@harbour/prisma/payment';
import { outboxRow, type DomainEvent } from '../../definitions/envelope';
import { EventTooLargeError } from '../../errors';
import { OutboxRelay } from '../../outbox/relay';
import { transferEvent } from '../../__tests__/support/events';
import { testLogger } from '../../__tests__/support/logger';
import { createTestDatabase } from '../../__tests__/support/resources';
import { eventually } from '../../__tests__/support/waiting';
import { analyticsFeedFromEnv } from '../env';
import { EventHubsAnalyticsFeed } from '../event-hubs';
import { AmqpBroker, type BrokerMessage } from './amqp-broker';

let broker: AmqpBroker;
let feed: EventHubsAnalyticsFeed;

beforeEach(async () => {
  // Small messages, so one aggregate's events need several batches.
  broker = await AmqpBroker.start('hub', 4_096);
  feed = new EventHubsAnalyticsFeed({ connectionString: broker.connectionString, logger: testLogger });
});

afterEach(async () => {
  await feed.close();
  await broker.close();
});

function byAggregate(items: { aggregateId: string; id: string }[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const item of items) (groups[item.aggregateId] ??= []).push(item.id);
  return groups;
}

const asEvent = (message: BrokerMessage) => message.body as DomainEvent;

test('sends every event as JSON, partitioned and ordered by aggregate', async () => {
  const events = Array.from({ length: 30 }, (_, n) => transferEvent(`trf_${n % 3}`, n));
  await feed.publish(events.slice(0, 20));
  await feed.publish(events.slice(20));
  const received = await broker.messages.waitFor(30);

  expect(received).toHaveLength(30);
  expect(received.map(asEvent)).toEqual(expect.arrayContaining(events));
  for (const message of received) {
    const event = asEvent(message);
    expect(message).toMatchObject({
      address: 'hub',
      partitionKey: event.aggregateId,
      messageId: event.id,
      contentType: 'application/json',
      properties: { type: 'transfer.completed', version: 1, source: 'payment', aggregateType: 'transfer' },
    });
  }
  expect(byAggregate(received.map(asEvent))).toEqual(byAggregate(events));
  // It really took several batches per aggregate, and authenticated through CBS first.
  expect(broker.transfers).toBeGreaterThan(3);
  expect(broker.tokenAudiences[0]).toBe(`sb://127.0.0.1:${broker.port}/hub`);
});

test('refuses an event that cannot fit in any batch', async () => {
  const huge = { ...transferEvent('trf_big', 0), payload: { note: 'x'.repeat(10_000) } };
  await expect(feed.publish([huge])).rejects.toBeInstanceOf(EventTooLargeError);
});

test('an OutboxRelay with the analytics marker feeds it from a store', async () => {
  const database = await createTestDatabase('payment', (url) => createPaymentStore(url));
  const relay = new OutboxRelay({ client: database.client, source: 'payment', destination: feed, marker: 'analytics_published_at', logger: testLogger });
  try {
    const events = Array.from({ length: 8 }, (_, n) => transferEvent(`trf_${n % 2}`, n));
    await database.client.$transaction(async (tx) => {
      for (const event of events) await tx.outboxEvent.create({ data: outboxRow(event as DomainEvent<{ n: string }>) });
    });
    relay.start();
    relay.wake();
    const received = await broker.messages.waitFor(8);
    expect(byAggregate(received.map(asEvent))).toEqual(byAggregate(events));
    await eventually(async () => {
      const [row] = await database.client.$queryRawUnsafe<{ n: bigint }[]>('SELECT COUNT(*) AS n FROM outbox_events WHERE analytics_published_at IS NULL');
      return Number(row!.n) === 0;
    }, 10_000, 'analytics_published_at set');
    const [bus] = await database.client.$queryRawUnsafe<{ n: bigint }[]>('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL');
    expect(Number(bus!.n)).toBe(8);
  } finally {
    await relay.stop();
    await database.drop();
  }
});

describe('analyticsFeedFromEnv', () => {
  const withPath = 'Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=secret;EntityPath=harbour-events';
  const withoutPath = 'Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=secret';

  test('is off when no connection string is set', () => {
    expect(analyticsFeedFromEnv({})).toBeUndefined();
    expect(analyticsFeedFromEnv({ EVENT_HUBS_CONNECTION_STRING: '  ' })).toBeUndefined();
  });

  test('uses the EntityPath, or EVENT_HUBS_NAME when there is none', async () => {
    for (const env of [{ EVENT_HUBS_CONNECTION_STRING: withPath }, { EVENT_HUBS_CONNECTION_STRING: withoutPath, EVENT_HUBS_NAME: 'harbour-events' }]) {
      const configured = analyticsFeedFromEnv(env);
      expect(configured).toBeInstanceOf(EventHubsAnalyticsFeed);
      await configured!.close();
    }
  });

  test('needs an event hub name from somewhere, and a well-formed string', () => {
    expect(() => analyticsFeedFromEnv({ EVENT_HUBS_CONNECTION_STRING: withoutPath })).toThrow(ConfigError);
    expect(() => analyticsFeedFromEnv({ EVENT_HUBS_CONNECTION_STRING: 'nonsense;EntityPath=x' })).toThrow(ConfigError);
  });
});
