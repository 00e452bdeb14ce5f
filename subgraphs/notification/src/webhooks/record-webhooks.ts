/**
 * From events to deliveries, inside the consumer's transaction (the one that
 * records the event as applied): each webhook the event makes is stored once
 * (`webhook_events`, unique by source event and type) with one PENDING
 * delivery, due now, per ENABLED endpoint of the business subscribed to its
 * type. Deliveries are durable before anything is sent; the events come from
 * the producers' outboxes, so a webhook is never lost to a Redis or bus outage.
 */
import { factOf, type KnownEvent } from '@harbour/events';
import type { Prisma } from '@harbour/prisma/notification';
import { webhookPayload, webhooksFor, type WebhookDraft } from './payloads';
import { newWebhookId } from './rules';

type Tx = Prisma.TransactionClient;

/** How many deliveries `event` made. */
export async function recordWebhooks(event: KnownEvent, tx: Tx): Promise<number> {
  let made = 0;
  const sourceEventId = factOf(event);
  for (const draft of webhooksFor(event)) {
    const endpoints = await subscribedEndpoints(tx, draft.businessId, draft.type);
    if (endpoints.length === 0) continue;
    const existing = await tx.webhookEvent.findUnique({ where: { sourceEventId_type: { sourceEventId, type: draft.type } }, select: { id: true } });
    if (existing) continue;
    const at = new Date(event.occurredAt);
    made += (await storeWebhook(tx, draft, endpoints, { sourceEventId, createdAt: at, dueAt: new Date() })).length;
  }
  return made;
}

/** The ENABLED, undeleted endpoints of `businessId` subscribed to `type`. */
async function subscribedEndpoints(tx: Tx, businessId: string, type: string): Promise<string[]> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { businessId, status: 'ENABLED', deletedAt: null }, select: { id: true, eventTypes: true } });
  return endpoints.filter(({ eventTypes }) => eventTypes.split(' ').includes(type)).map(({ id }) => id);
}

/** Stores the webhook event and one PENDING delivery per endpoint; answers the deliveries' ids, in the endpoints' order. */
export async function storeWebhook(
  tx: Tx,
  draft: WebhookDraft,
  endpointIds: readonly string[],
  options: { sourceEventId: string | null; createdAt: Date; dueAt: Date },
): Promise<string[]> {
  const eventId = newWebhookId('event');
  const payload = webhookPayload(eventId, draft, options.createdAt);
  await tx.webhookEvent.create({
    data: { id: eventId, businessId: draft.businessId, type: draft.type, payload: payload as unknown as Prisma.InputJsonObject, sourceEventId: options.sourceEventId, createdAt: options.createdAt },
  });
  const now = new Date();
  const ids = endpointIds.map(() => newWebhookId('delivery'));
  await tx.webhookDelivery.createMany({
    data: endpointIds.map((endpointId, index) => ({
      id: ids[index]!,
      eventId,
      endpointId,
      businessId: draft.businessId,
      eventType: draft.type,
      status: 'PENDING' as const,
      attempts: 0,
      retryStep: 0,
      nextAttemptAt: options.dueAt,
      createdAt: now,
      updatedAt: now,
    })),
  });
  return ids;
}
