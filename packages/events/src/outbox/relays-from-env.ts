import type { SubgraphName } from '@harbour/config';
import type { Logger } from '@harbour/logger';
import { analyticsFeedFromEnv } from '../analytics/env';
import type { EventBus } from '../bus/types';
import { redisStreamsBusFromEnv } from '../bus/redis/bus';
import type { TransactionalClient } from '../internal/sql';
import type { EventsObserver } from '../observer';
import { OutboxRelay } from './relay';

export interface OutboxRelays {
  /** The bus events are published to (shared with subscribers in the same process). */
  bus: EventBus;
  /** Call after a transaction that wrote outbox events commits. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The relays a subgraph with an outbox runs: one to the internal bus (Redis
 * Streams at `EVENT_BUS_REDIS_URL`, default `REDIS_URL`), and one to the
 * analytics feed when `EVENT_HUBS_CONNECTION_STRING` is set. Each keeps its
 * own marker, so one destination being down never holds up the other.
 */
export function startOutboxRelays(options: {
  client: TransactionalClient;
  source: SubgraphName;
  logger: Logger;
  env?: Record<string, string | undefined>;
  /** Use this bus instead of one from the environment (single-process runs, tests). */
  bus?: EventBus;
  /** Reads each relay's figures for the process's metrics (outbox lag). */
  observer?: EventsObserver;
}): OutboxRelays {
  const env = options.env ?? process.env;
  const bus = options.bus ?? redisStreamsBusFromEnv(env, { logger: options.logger });
  const analytics = analyticsFeedFromEnv(env, { logger: options.logger });
  const relays = [
    new OutboxRelay({ client: options.client, source: options.source, destination: bus, marker: 'published_at', logger: options.logger }),
    ...(analytics
      ? [new OutboxRelay({ client: options.client, source: options.source, destination: analytics, marker: 'analytics_published_at', logger: options.logger })]
      : []),
  ];
  options.observer?.outboxRelay('bus', () => relays[0]!.metrics());
  if (relays[1]) options.observer?.outboxRelay('analytics', () => relays[1]!.metrics());
  for (const relay of relays) relay.start();
  return {
    bus,
    wake: () => relays.forEach((relay) => relay.wake()),
    async stop() {
      await Promise.all(relays.map((relay) => relay.stop()));
      await analytics?.close();
      if (!options.bus) await bus.close();
    },
  };
}
