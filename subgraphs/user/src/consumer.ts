import { startConsumer, type EventBus, type EventsObserver, type RunningConsumer } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { UserStore } from '@harbour/prisma/user';
import { applyBusinessEvent } from './api-keys/business-roles';

export const CONSUMER_GROUP = 'user';

/**
 * The user subgraph's reaction to events (consumer group "user"): the
 * business subgraph's registrations and membership changes keep
 * `business_roles`, which decides who may manage a business's API keys.
 * Every other event type is acknowledged and ignored.
 */
export function startUserConsumer(options: { store: UserStore; logger: Logger; bus?: EventBus; observer?: EventsObserver }): RunningConsumer {
  return startConsumer({
    group: CONSUMER_GROUP,
    client: options.store,
    apply: (event, tx) => applyBusinessEvent(event, tx),
    logger: options.logger,
    ...(options.bus ? { bus: options.bus } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
