import type { KnownEvent } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { Prisma } from '@harbour/prisma/notification';
import { newId } from '@harbour/server';
import { applyBusinessEvent } from '../webhooks/business-roles';
import { recordWebhooks } from '../webhooks/record-webhooks';
import { notificationsFor } from './from-event';

export type NotificationTx = Prisma.TransactionClient;

/** A notification this event made (committed once the transaction is). */
export interface MadeNotification {
  notificationId: string;
  userId: string;
}

/**
 * Stores the notifications `event` makes, inside the consumer's transaction
 * (which also records the event id in processed_events). The unique
 * (user_id, source_event_id) is the second guard: an event seen again after
 * its processed_events row was gone makes nothing new. One event notifies a
 * user once: were someone on both sides (an owner refunding a payment they
 * once made themselves), they get the first side's notification only.
 * In the same transaction: the business roles webhooks are decided by, and
 * the event's webhook deliveries (webhooks/record-webhooks.ts).
 */
export async function applyEvent(event: KnownEvent, tx: NotificationTx, logger: Logger): Promise<MadeNotification[]> {
  await applyBusinessEvent(event, tx);
  await recordWebhooks(event, tx);
  const made: MadeNotification[] = [];
  const notified = new Set<string>();
  for (const draft of notificationsFor(event)) {
    if (notified.has(draft.userId)) {
      logger.info({ eventId: event.id, type: event.type, userId: draft.userId, kind: draft.kind }, 'user is on both sides of the event; notified once');
      continue;
    }
    notified.add(draft.userId);
    const existing = await tx.notification.findUnique({
      where: { userId_sourceEventId: { userId: draft.userId, sourceEventId: event.id } },
      select: { id: true },
    });
    if (existing) continue;
    const notificationId = newId('notification');
    await tx.notification.create({
      data: {
        id: notificationId,
        userId: draft.userId,
        kind: draft.kind,
        params: draft.params as unknown as Prisma.InputJsonObject,
        sourceEventId: event.id,
        // When it happened, not when this consumer got to it: a late delivery (the bus was down) still shows the right time and sorts where it belongs.
        createdAt: new Date(event.occurredAt),
      },
    });
    made.push({ notificationId, userId: draft.userId });
  }
  return made;
}
