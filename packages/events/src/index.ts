/**
 * @harbour/events: how Harbour's subgraphs tell each other what happened.
 *
 * Producers: `createEvent(definition, …)` in the transaction that makes the
 * change, `tx.outboxEvent.create({ data: outboxRow(event) })`, commit, then
 * `relay.wake()`. An OutboxRelay per store and destination moves the outbox
 * to the EventBus (and to the analytics feed when configured).
 *
 * Consumers: `bus.subscribe(group, consumer, handler)`, `parseEvent` the
 * envelope, apply it through `ProcessedEvents.applyOnce` (delivery is at
 * least once).
 */

// Event definitions, the catalogue, the envelope, and parsing received events.
export * from './definitions';

// The bus: its contract, the Redis Streams and in-memory drivers, consumer deduplication.
export type { EventBus, EventHandler, Delivery, SubscribeOptions, Subscription, DeadLetter } from './bus/types';
export { SUBSCRIBE_DEFAULTS } from './bus/types';
export { InMemoryBus, type InMemoryBusOptions } from './bus/memory';
export { RedisStreamsBus, redisStreamsBusFromEnv, type RedisStreamsBusOptions } from './bus/redis/bus';
export type { RedisTarget } from './bus/redis/connection';
export {
  applyOnce,
  sqlProcessedEvents,
  inMemoryProcessedEvents,
  type ProcessedEvents,
  type ProcessedIds,
  type ApplyOnceResult,
} from './bus/processed-events';

// The transactional outbox relay.
export { OutboxRelay, type OutboxRelayOptions, type OutboxRelayMetrics, type OutboxDestination } from './outbox/relay';
export { OUTBOX_MARKERS, type OutboxMarker } from './outbox/rows';

// The analytics feed (Azure Event Hubs).
export { EventHubsAnalyticsFeed, toEventData, type AnalyticsFeed, type EventHubsAnalyticsFeedOptions } from './analytics/event-hubs';
export { analyticsFeedFromEnv } from './analytics/env';

// Raw-SQL client shapes (any store's Prisma client fits) and errors.
export type { SqlExecutor, TransactionalClient, TransactionOptions } from './internal/sql';
export type { BackoffOptions } from './internal/async';
export * from './errors';

// What a subgraph with an outbox starts: its relays to the bus and (when configured) the analytics feed.
export { startOutboxRelays, type OutboxRelays } from './outbox/relays-from-env';

// What a subgraph that reacts to events starts: a consumer group applying each event once.
export { startConsumer, type ConsumerOptions, type RunningConsumer } from './consumer/start-consumer';
export type { EventsObserver, ConsumedOutcome } from './observer';
