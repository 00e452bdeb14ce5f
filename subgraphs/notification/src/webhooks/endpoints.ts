/** An OWNER's endpoints: create, change, delete, rotate the secret, send a test (partners.md, Webhooks). */
import { badUserInput, notFound } from '@harbour/errors';
import type { NotificationStore, WebhookDelivery, WebhookEndpoint } from '@harbour/prisma/notification';
import { requireOwner } from './business-roles';
import type { WebhookApiConfig } from './config';
import { parseDescription, parseEndpointUrl, parseEventTypes } from './input';
import { testWebhook } from './payloads';
import { storeWebhook } from './record-webhooks';
import { DisabledReason, PREVIOUS_SECRET_TTL_MS, isWebhookId, newWebhookId } from './rules';
import { newWebhookSecret } from './transport';

export interface WebhookServices {
  store: NotificationStore;
  config: WebhookApiConfig;
  now: () => Date;
}

export interface CreateWebhookEndpointInput {
  businessId: string;
  url: string;
  eventTypes: string[];
  description?: string | null;
}

export interface UpdateWebhookEndpointInput {
  endpointId: string;
  url?: string | null;
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

const WHAT = 'Webhook endpoint';

/** The endpoint `id` for its business's OWNER: NOT_FOUND when it is not there (or deleted) or the caller is no member, FORBIDDEN for another role. */
export async function endpointForOwner(services: WebhookServices, userId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = isWebhookId('endpoint', id) ? await services.store.webhookEndpoint.findUnique({ where: { id } }) : null;
  if (!endpoint || endpoint.deletedAt) throw notFound(WHAT);
  await requireOwner(services.store, endpoint.businessId, userId, WHAT);
  return endpoint;
}

/** A new ENABLED endpoint and its secret, which is answered here once (stored encrypted). */
export async function createWebhookEndpoint(services: WebhookServices, userId: string, input: CreateWebhookEndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await requireOwner(services.store, input.businessId, userId, 'Business');
  const eventTypes = parseEventTypes(input.eventTypes);
  const description = parseDescription(input.description);
  const url = await parseEndpointUrl(input.url, services.config);
  const id = newWebhookId('endpoint');
  const secret = newWebhookSecret();
  const now = services.now();
  const endpoint = await services.store.webhookEndpoint.create({
    data: {
      id,
      businessId: input.businessId,
      url,
      eventTypes,
      description,
      status: 'ENABLED',
      secret: services.config.secrets.encrypt(secret, id),
      createdByUserId: userId,
      createdAt: now,
      updatedAt: now,
    },
  });
  return { endpoint, secret };
}

/** Changes what is given; `enabled: false` stops its deliveries, `enabled: true` starts again afresh (a disabled reason is cleared). */
export async function updateWebhookEndpoint(services: WebhookServices, userId: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
  const endpoint = await endpointForOwner(services, userId, input.endpointId);
  const data: Partial<WebhookEndpoint> = {};
  if (input.url !== undefined && input.url !== null) data.url = await parseEndpointUrl(input.url, services.config);
  if (input.eventTypes !== undefined && input.eventTypes !== null) data.eventTypes = parseEventTypes(input.eventTypes);
  if (input.description !== undefined) data.description = parseDescription(input.description);
  if (input.enabled === true && endpoint.status === 'DISABLED') Object.assign(data, { status: 'ENABLED', disabledReason: null, failingSince: null });
  if (input.enabled === false && endpoint.status === 'ENABLED') Object.assign(data, { status: 'DISABLED', disabledReason: DisabledReason.BY_OWNER });
  const now = services.now();
  return services.store.$transaction(async (tx) => {
    if (data.status === 'DISABLED') await cancelDue(tx, endpoint.id, now);
    return tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { ...data, updatedAt: now } });
  });
}

/** Deletes the endpoint: nothing more is sent to it; its history stays for the deliveries' 30 days. */
export async function deleteWebhookEndpoint(services: WebhookServices, userId: string, id: string): Promise<true> {
  const endpoint = await endpointForOwner(services, userId, id);
  const now = services.now();
  await services.store.$transaction(async (tx) => {
    await cancelDue(tx, endpoint.id, now);
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { deletedAt: now, updatedAt: now } });
  });
  return true;
}

/** A new secret, answered once; the one it replaces keeps signing beside it for 24 hours. */
export async function rotateWebhookSecret(services: WebhookServices, userId: string, id: string): Promise<{ secret: string }> {
  const endpoint = await endpointForOwner(services, userId, id);
  const secret = newWebhookSecret();
  const now = services.now();
  await services.store.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { secret: services.config.secrets.encrypt(secret, endpoint.id), previousSecret: endpoint.secret, previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS), updatedAt: now },
  });
  return { secret };
}

/** A `webhook.test` delivery to this endpoint only, due now. */
export async function sendTestWebhook(services: WebhookServices, userId: string, id: string): Promise<WebhookDelivery> {
  const endpoint = await endpointForOwner(services, userId, id);
  if (endpoint.status !== 'ENABLED') throw badUserInput('The endpoint is disabled: enable it (updateWebhookEndpoint) before sending a test.', 'id');
  const now = services.now();
  const [deliveryId] = await services.store.$transaction((tx) => storeWebhook(tx, testWebhook(endpoint.businessId, endpoint.id), [endpoint.id], { sourceEventId: null, createdAt: now, dueAt: now }));
  return services.store.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } });
}

/** Deliveries of an endpoint that is disabled or deleted are not sent: those still due end CANCELLED. */
export async function cancelDue(tx: Pick<NotificationStore, 'webhookDelivery'>, endpointId: string, now: Date): Promise<void> {
  await tx.webhookDelivery.updateMany({
    where: { endpointId, nextAttemptAt: { not: null } },
    data: { status: 'CANCELLED', nextAttemptAt: null, leaseOwner: null, leaseUntil: null, updatedAt: now },
  });
}
