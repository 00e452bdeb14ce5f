import { startConsumer, type EventBus, type KnownEvent, type EventsObserver, type RunningConsumer, type SubscribeOptions } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { Prisma, TimelineStore } from '@harbour/prisma/timeline';
import { newId, userKey, type RecentWrites } from '@harbour/server';
import { entriesFor } from './entries';

/** The consumer group on the bus, and this store's `processed_events.consumer`. */
export const TIMELINE_CONSUMER_GROUP = 'timeline';

/**
 * Writes `event`'s entries in the consumer's transaction (the one that also
 * records the event as processed). Returns how many were written.
 */
export async function applyTimelineEvent(event: KnownEvent, tx: Prisma.TransactionClient): Promise<number> {
  const drafts = entriesFor(event);
  if (drafts.length === 0) return 0;
  const { count } = await tx.timelineEntry.createMany({
    data: drafts.map((draft) => ({
      id: newId('timelineEntry'),
      userId: draft.userId,
      kind: draft.kind,
      params: draft.params as unknown as Prisma.InputJsonObject,
      sourceEventId: event.id,
      occurredAt: draft.occurredAt,
    })),
    // processed_events already applies each event once; the unique (user, event, kind) is the backstop
    // for an event redelivered after its processed_events row is gone.
    skipDuplicates: true,
  });
  return count;
}

export interface TimelineConsumerOptions {
  store: TimelineStore;
  logger: Logger;
  /** With a read replica: whose timelines were just written, so their next reads see the primary. */
  recentWrites?: RecentWrites;
  /** Defaults to Redis Streams from the environment (EVENT_BUS_REDIS_URL or REDIS_URL, REDIS_KEY_PREFIX). */
  bus?: EventBus;
  env?: Record<string, string | undefined>;
  subscribe?: SubscribeOptions;
  /** The process's metrics: consumer lag. */
  observer?: EventsObserver;
}

/** Fills timelines from the bus: every event applied once, however often it is delivered. */
export function startTimelineConsumer(options: TimelineConsumerOptions): RunningConsumer {
  const { logger } = options;
  return startConsumer({
    group: TIMELINE_CONSUMER_GROUP,
    client: options.store,
    apply: applyTimelineEvent,
    afterCommit: async (event, written) => {
      if (written === 0) return;
      await options.recentWrites?.note(entriesFor(event).map((draft) => userKey(draft.userId)));
      logger.debug({ eventId: event.id, type: event.type, entries: written }, 'timeline entries added');
    },
    logger,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.subscribe ? { subscribe: options.subscribe } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
