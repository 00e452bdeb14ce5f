import { startConsumer, startOutboxRelays, type EventBus, type EventsObserver, type SubscribeOptions } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { Prisma, SocialStore } from '@harbour/prisma/social';
import { applySocialEvent } from './apply';

/** The consumer group (and `processed_events.consumer`) social reads the bus as. */
export const SOCIAL_CONSUMER_GROUP = 'social';

export interface SocialEvents {
  /** Call after a transaction that wrote outbox events commits: the relay publishes at once. */
  eventsWritten: () => void;
  /** Stops reading the bus, then the relays. */
  stop(): Promise<void>;
}

/**
 * Social's background work on the bus: the consumer that learns users and
 * payments from other subgraphs' events, and the outbox relays that publish
 * social's own (`friendship.established`). Redis Streams from the
 * environment unless a bus is given (single-process runs, tests).
 */
export function startSocialEvents(options: {
  store: SocialStore;
  logger: Logger;
  bus?: EventBus;
  env?: Record<string, string | undefined>;
  subscribe?: SubscribeOptions;
  /** The process's metrics: outbox and consumer lag. */
  observer?: EventsObserver;
}): SocialEvents {
  const { store, logger } = options;
  const shared = { logger, ...(options.bus ? { bus: options.bus } : {}), ...(options.env ? { env: options.env } : {}), ...(options.observer ? { observer: options.observer } : {}) };
  const relays = startOutboxRelays({ client: store, source: 'social', ...shared });
  const consumer = startConsumer<Prisma.TransactionClient, void>({
    group: SOCIAL_CONSUMER_GROUP,
    client: store,
    apply: applySocialEvent,
    ...shared,
    ...(options.subscribe ? { subscribe: options.subscribe } : {}),
  });
  return {
    eventsWritten: relays.wake,
    async stop() {
      await consumer.stop();
      await relays.stop();
    },
  };
}
