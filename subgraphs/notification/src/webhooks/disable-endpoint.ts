/**
 * Disabling an endpoint the worker gave up on (410 Gone, or 5 days of
 * failures): DISABLED with its reason, its other due deliveries CANCELLED,
 * and every OWNER of the business told (WEBHOOK_ENDPOINT_DISABLED), in the
 * transaction that records the attempt which decided it.
 */
import type { Prisma, WebhookEndpoint } from '@harbour/prisma/notification';
import type { MadeNotification } from '../domain/apply-event';
import type { WebhookEndpointDisabledParams } from '../domain/params';
import { newId } from '@harbour/server';
import { ownersOf } from './business-roles';
import { cancelDue } from './endpoints';
import { DisabledReason } from './rules';

export type DisableCause = 'GONE' | 'FAILING';

/** Nothing when it was disabled already (by an OWNER, or another worker). `sourceId` (the attempt's id) makes each OWNER's notice once. */
export async function disableEndpoint(tx: Prisma.TransactionClient, endpoint: WebhookEndpoint, cause: DisableCause, now: Date, sourceId: string): Promise<MadeNotification[]> {
  const changed = await tx.webhookEndpoint.updateMany({
    where: { id: endpoint.id, status: 'ENABLED', deletedAt: null },
    data: { status: 'DISABLED', disabledReason: DisabledReason[cause], updatedAt: now },
  });
  if (changed.count === 0) return [];
  await cancelDue(tx, endpoint.id, now);
  const params: WebhookEndpointDisabledParams = { endpointId: endpoint.id, businessId: endpoint.businessId, url: endpoint.url, reason: cause };
  const made: MadeNotification[] = [];
  for (const userId of await ownersOf(tx, endpoint.businessId)) {
    const notificationId = newId('notification');
    await tx.notification.create({
      data: { id: notificationId, userId, kind: 'WEBHOOK_ENDPOINT_DISABLED', params: params as unknown as Prisma.InputJsonObject, sourceEventId: sourceId, createdAt: now },
    });
    made.push({ notificationId, userId });
  }
  return made;
}
