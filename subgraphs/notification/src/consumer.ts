import { startConsumer, type EventBus, type EventsObserver, type RunningConsumer, type SubscribeOptions } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { NotificationStore } from '@harbour/prisma/notification';
import { userKey, type RecentWrites } from '@harbour/server';
import { applyEvent } from './domain/apply-event';
import { publishNotificationsAdded, type Publisher } from './live/publish';

export const CONSUMER_GROUP = 'notification';

export interface NotificationConsumerOptions {
  store: NotificationStore;
  logger: Logger;
  /** Where committed notifications are announced for live updates (an ioredis client). */
  publisher: Publisher;
  /** REDIS_KEY_PREFIX: the channels are `<prefix>notification-added:<userId>`. */
  redisKeyPrefix: string;
  /** With a read replica: whose notifications were just made, so their next list reads see the primary. */
  recentWrites?: RecentWrites;
  /** Defaults to Redis Streams from the environment (EVENT_BUS_REDIS_URL, else REDIS_URL). */
  bus?: EventBus;
  env?: Record<string, string | undefined>;
  subscribe?: SubscribeOptions;
  /** The process's metrics: consumer lag. */
  observer?: EventsObserver;
}

/**
 * The notification subgraph's reaction to events (consumer group
 * "notification"): each payment, refund, transfer, top-up and friendship
 * notifies each side once, and each payout-account change and paid or failed
 * payout every OWNER of the business once, however often it is delivered
 * (every event type reaches it; those that notify no one make nothing); after the
 * transaction commits, each new notification is published for live updates
 * (after its owner's read-your-writes mark, so the list they then read has it).
 */
export function startNotificationConsumer(options: NotificationConsumerOptions): RunningConsumer {
  const { store, logger, publisher, redisKeyPrefix } = options;
  return startConsumer({
    group: CONSUMER_GROUP,
    client: store,
    apply: (event, tx) => applyEvent(event, tx, logger),
    afterCommit: async (_event, made) => {
      await options.recentWrites?.note(made.map(({ userId }) => userKey(userId)));
      await publishNotificationsAdded(publisher, redisKeyPrefix, made, logger);
    },
    logger,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.subscribe ? { subscribe: options.subscribe } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
