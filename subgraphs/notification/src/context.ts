import type DataLoader from 'dataloader';
import type { Notification, NotificationStore } from '@harbour/prisma/notification';
import { loaderByKey, withoutReplica, type ReadReplica, type RecentWrites, type StoreSubgraphDeps, type SubgraphContext } from '@harbour/server';

export interface NotificationContext extends SubgraphContext {
  store: NotificationStore;
  /** Where the list and unread count are read from, unless the user's own were written to recently. */
  replica?: ReadReplica<NotificationStore>;
  /** Notes a user's own write (marking read), so their next list read sees it. */
  recentWrites: RecentWrites;
  notifications: DataLoader<string, Notification | null>;
}

export function notificationContext(store: NotificationStore, deps: Pick<StoreSubgraphDeps<NotificationStore>, 'replica'>) {
  return (base: SubgraphContext): NotificationContext => ({
    ...base,
    store,
    replica: deps.replica,
    recentWrites: deps.replica?.recentWrites ?? withoutReplica,
    notifications: loaderByKey((ids) => store.notification.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
  });
}
