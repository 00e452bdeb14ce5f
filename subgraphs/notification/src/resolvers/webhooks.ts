/** Webhooks (partners.md): thin resolvers over webhooks/ (OWNER only, a signed-in user's; machine tokens are not accepted). */
import type { WebhookEndpoint } from '@harbour/prisma/notification';
import { requireUser } from '@harbour/server';
import type { NotificationContext } from '../context';
import { listDeliveries, redeliverWebhook } from '../webhooks/deliveries';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  endpointForOwner,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
} from '../webhooks/endpoints';
import { eventTypesOf } from '../webhooks/input';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/rules';

const caller = (context: NotificationContext) => requireUser(context.identity).userId;

export const webhookQueries = {
  webhookEventTypes: () => [...WEBHOOK_EVENT_TYPES],
  webhookEndpoint: (_: unknown, args: { id: string }, context: NotificationContext) => endpointForOwner(context.webhooks, caller(context), args.id),
};

export const webhookMutations = {
  createWebhookEndpoint: (_: unknown, args: { input: CreateWebhookEndpointInput }, context: NotificationContext) => createWebhookEndpoint(context.webhooks, caller(context), args.input),
  updateWebhookEndpoint: (_: unknown, args: { input: UpdateWebhookEndpointInput }, context: NotificationContext) => updateWebhookEndpoint(context.webhooks, caller(context), args.input),
  deleteWebhookEndpoint: (_: unknown, args: { id: string }, context: NotificationContext) => deleteWebhookEndpoint(context.webhooks, caller(context), args.id),
  rotateWebhookSecret: (_: unknown, args: { id: string }, context: NotificationContext) => rotateWebhookSecret(context.webhooks, caller(context), args.id),
  sendTestWebhook: (_: unknown, args: { id: string }, context: NotificationContext) => sendTestWebhook(context.webhooks, caller(context), args.id),
  redeliverWebhook: (_: unknown, args: { deliveryId: string }, context: NotificationContext) => redeliverWebhook(context.webhooks, caller(context), args.deliveryId),
};

export const webhookTypes = {
  WebhookEndpoint: {
    eventTypes: (endpoint: WebhookEndpoint) => eventTypesOf(endpoint.eventTypes),
    // Only reached through webhookEndpoint or a mutation, which checked that the caller is an OWNER.
    deliveries: (endpoint: WebhookEndpoint, args: { first?: number | null; after?: string | null }, context: NotificationContext) =>
      listDeliveries(context.webhooks, endpoint.id, args.first, args.after),
  },
};
