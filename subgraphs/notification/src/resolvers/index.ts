import { notFound } from '@harbour/errors';
import type { NotificationStore, Notification as StoredNotification } from '@harbour/prisma/notification';
import { isSelf, readStoreFor, servedByGateway, requireSelf, requireUser, scalarResolvers, userKey } from '@harbour/server';
import type { NotificationContext } from '../context';
import { isKnownKind } from '../domain/kinds';
import { countUnread, listNotifications, markNotificationsRead } from '../domain/read';
import { renderNotification } from '../domain/render';
import { webhookMutations, webhookQueries, webhookTypes } from './webhooks';

interface ConnectionParent {
  /** Whose notifications (the caller: only they may see them). */
  userId: string;
  /** The store the page was read from: the unread count comes from the same one, so the two agree. */
  store: NotificationStore;
}

/**
 * Notifications are made from other subgraphs' events (consumer.ts), stored
 * as a kind plus parameters and rendered here in the caller's language.
 */
export const resolvers = {
  ...scalarResolvers,
  Query: {
    ...webhookQueries,
    async notification(_: unknown, args: { id: string }, context: NotificationContext) {
      const { userId } = requireUser(context.identity);
      const notification = await context.notifications.load(args.id);
      if (!notification || notification.userId !== userId || !isKnownKind(notification.kind)) throw notFound('Notification');
      return notification;
    },
  },
  Mutation: {
    ...webhookMutations,
    async markNotificationsRead(_: unknown, args: { ids: string[] }, context: NotificationContext) {
      const { userId } = requireUser(context.identity);
      const unreadCount = await markNotificationsRead(context.store, userId, args.ids, new Date());
      await context.recentWrites.note([userKey(userId)]);
      return { unreadCount };
    },
  },
  ...webhookTypes,
  Subscription: {
    // The gateway serves this subscription from the notification-added channel (live/publish.ts).
    notificationAdded: { subscribe: servedByGateway },
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    async notifications(user: { id: string }, args: { first?: number | null; after?: string | null }, context: NotificationContext) {
      const userId = requireSelf(context.identity, user.id);
      const store = await readStoreFor(context.store, context.replica, userKey(userId));
      const page = await listNotifications(store, userId, args.first, args.after);
      for (const { node } of page.edges) context.notifications.prime(node.id, node);
      return { ...page, userId, store } satisfies ConnectionParent;
    },
  },
  NotificationConnection: {
    unreadCount: (connection: ConnectionParent) => countUnread(connection.store, connection.userId),
  },
  Notification: {
    async __resolveReference(reference: { id: string }, context: NotificationContext) {
      const notification = await context.notifications.load(reference.id);
      // Someone else's notification does not exist, as far as the caller can tell; nor does one of a kind this build's schema lacks.
      return notification && isSelf(context.identity, notification.userId) && isKnownKind(notification.kind) ? notification : null;
    },
    title: (notification: StoredNotification, _args: unknown, context: NotificationContext) => renderNotification(notification.kind, notification.params, context.language).title,
    body: (notification: StoredNotification, _args: unknown, context: NotificationContext) => renderNotification(notification.kind, notification.params, context.language).body,
    read: (notification: StoredNotification) => notification.readAt !== null,
  },
};
