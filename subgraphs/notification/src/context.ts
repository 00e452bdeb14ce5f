import type DataLoader from 'dataloader';
import type { Notification, NotificationStore } from '@harbour/prisma/notification';
import { webhookApiConfig } from './webhooks/config';
import type { WebhookServices } from './webhooks/endpoints';
import { loaderByKey, withoutReplica, type ReadReplica, type RecentWrites, type StoreSubgraphDeps, type SubgraphContext } from '@harbour/server';

export interface NotificationContext extends SubgraphContext {
  store: NotificationStore;
  /** Where the list and unread count are read from, unless the user's own were written to recently. */
  replica?: ReadReplica<NotificationStore>;
  /** Notes a user's own write (marking read), so their next list read sees it. */
  recentWrites: RecentWrites;
  notifications: DataLoader<string, Notification | null>;
  /** Webhook endpoints and deliveries (webhooks/). */
  webhooks: WebhookServices;
}

export function notificationContext(store: NotificationStore, deps: Pick<StoreSubgraphDeps<NotificationStore>, 'replica'>) {
  // Read once per server (HARBOUR_MODE, WEBHOOK_SECRET_KEYS): a malformed value stops the process at start.
  const webhooks: WebhookServices = { store, config: webhookApiConfig(), now: () => new Date() };
  return (base: SubgraphContext): NotificationContext => ({
    webhooks,
    ...base,
    store,
    replica: deps.replica,
    recentWrites: deps.replica?.recentWrites ?? withoutReplica,
    notifications: loaderByKey((ids) => store.notification.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
  });
}
