import type { Notification as StoredNotification } from '@harbour/prisma/notification';
import { isSelf, notImplementedField, requireSelf, scalarResolvers } from '@harbour/server';
import type { NotificationContext } from '../context';

const later = notImplementedField(4);

/** Notifications are made from payment events, rendered and pushed with issue #4. */
export const resolvers = {
  ...scalarResolvers,
  Mutation: {
    markNotificationsRead: later,
  },
  Subscription: {
    notificationAdded: { subscribe: later },
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    notifications(user: { id: string }, _args: unknown, context: NotificationContext) {
      requireSelf(context.identity, user.id);
      return later();
    },
  },
  Notification: {
    async __resolveReference(reference: { id: string }, context: NotificationContext) {
      const notification = await context.notifications.load(reference.id);
      // Someone else's notification does not exist, as far as the caller can tell.
      return notification && isSelf(context.identity, notification.userId) ? notification : null;
    },
    title: later,
    body: later,
    read: (notification: StoredNotification) => notification.readAt !== null,
  },
};
