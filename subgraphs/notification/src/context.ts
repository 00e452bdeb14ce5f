import type DataLoader from 'dataloader';
import type { Notification, NotificationStore } from '@harbour/prisma/notification';
import { loaderByKey, type SubgraphContext } from '@harbour/server';

export interface NotificationContext extends SubgraphContext {
  store: NotificationStore;
  notifications: DataLoader<string, Notification | null>;
}

export function notificationContext(store: NotificationStore) {
  return (base: SubgraphContext): NotificationContext => ({
    ...base,
    store,
    notifications: loaderByKey((ids) => store.notification.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
  });
}
