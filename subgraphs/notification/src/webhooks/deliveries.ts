/** An endpoint's deliveries as its OWNER sees them (30 days, newest first), and sending one again. */
import { badUserInput, notFound } from '@harbour/errors';
import type { WebhookDelivery } from '@harbour/prisma/notification';
import { checkFirst } from '../domain/connection';
import { endpointForOwner, type WebhookServices } from './endpoints';
import { RETENTION_MS, isWebhookId } from './rules';

export interface DeliveryPage {
  edges: Array<{ cursor: string; node: WebhookDelivery }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Opaque to clients: base64url of (created_at, id), the connection's order. */
const encodeCursor = (delivery: WebhookDelivery) => Buffer.from(`${delivery.createdAt.toISOString()}|${delivery.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso);
  if (rest.length || !isWebhookId('delivery', id) || Number.isNaN(at.getTime()) || at.toISOString() !== iso) throw badUserInput('The cursor is not valid.', 'after');
  return { at, id };
}

/** `first` (1–100) deliveries of the endpoint after `after`, newest first by (created_at, id), of the last 30 days. */
export async function listDeliveries(services: WebhookServices, endpointId: string, first: number | null | undefined, after: string | null | undefined): Promise<DeliveryPage> {
  const limit = checkFirst(first);
  const cursor = after ? decodeCursor(after) : null;
  const since = new Date(services.now().getTime() - RETENTION_MS);
  const rows = await services.store.webhookDelivery.findMany({
    where: {
      endpointId,
      createdAt: { gte: since },
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * Sends the delivery again now, with the same event (so the same
 * `webhook-id`), and a fresh retry schedule. One being sent at this moment is
 * answered as it is: its attempt is already under way.
 */
export async function redeliverWebhook(services: WebhookServices, userId: string, deliveryId: string): Promise<WebhookDelivery> {
  const delivery = isWebhookId('delivery', deliveryId) ? await services.store.webhookDelivery.findUnique({ where: { id: deliveryId } }) : null;
  if (!delivery) throw notFound('Webhook delivery');
  const endpoint = await endpointForOwner(services, userId, delivery.endpointId).catch((error: unknown) => {
    // The delivery of an endpoint the caller may not see does not exist for them either.
    throw (error as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND' ? notFound('Webhook delivery') : error;
  });
  if (endpoint.status !== 'ENABLED') throw badUserInput('The endpoint is disabled: enable it (updateWebhookEndpoint) before redelivering.', 'deliveryId');
  const now = services.now();
  await services.store.webhookDelivery.updateMany({
    where: { id: delivery.id, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { status: 'PENDING', nextAttemptAt: now, retryStep: 0, leaseOwner: null, leaseUntil: null, updatedAt: now },
  });
  return services.store.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
}
