/**
 * Live updates: after a notification commits, its id goes to the owner's
 * Redis pub/sub channel, where the gateway's `notificationAdded`
 * subscriptions pick it up and load the notification through federation.
 */
import type { Logger } from '@harbour/logger';
import type { MadeNotification } from '../domain/apply-event';

/** The slice of an ioredis client used here. */
export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/** `<REDIS_KEY_PREFIX>notification-added:<userId>` */
export function notificationAddedChannel(redisKeyPrefix: string, userId: string): string {
  return `${redisKeyPrefix}notification-added:${userId}`;
}

/** The message on that channel; `id` (the notification's) lets the gateway push each one once. */
export interface NotificationAddedMessage {
  id: string;
  notificationId: string;
  userId: string;
}

/**
 * Publishes each notification. Never throws: the notifications are stored
 * whatever happens here, and a client that missed a push catches up with
 * MyNotifications, so a Redis outage costs live updates only (and is logged).
 */
export async function publishNotificationsAdded(publisher: Publisher, redisKeyPrefix: string, made: readonly MadeNotification[], logger: Logger): Promise<void> {
  await Promise.all(
    made.map(async ({ notificationId, userId }) => {
      const message: NotificationAddedMessage = { id: notificationId, notificationId, userId };
      try {
        await publisher.publish(notificationAddedChannel(redisKeyPrefix, userId), JSON.stringify(message));
      } catch (error) {
        logger.warn({ err: error, notificationId, userId }, 'could not publish notification-added (live update lost; the notification is stored)');
      }
    }),
  );
}
