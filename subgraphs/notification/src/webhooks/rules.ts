/**
 * The rules of webhooks (partners.md, "Webhooks"), in one place: which event
 * types exist, the limits of an endpoint, how deliveries are retried and when
 * an endpoint is disabled. The transport (signing, the HTTP attempt, the
 * address checks) is ./transport.
 */
import { isId, newId } from '@harbour/server';

/** The `apiVersion` of every payload this build sends. */
export const WEBHOOK_API_VERSION = '2026-12-01';

/** What an endpoint can subscribe to (the list is public: `Query.webhookEventTypes`). */
export const WEBHOOK_EVENT_TYPES = [
  'payment.completed',
  'refund.completed',
  'payment_request.expired',
  'payment_request.cancelled',
  'payment_link.completed',
  'payout.paid',
  'payout.failed',
  'statement.ready',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `sendTestWebhook`, to the one endpoint; never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

const known = new Set<string>(WEBHOOK_EVENT_TYPES);
export const isWebhookEventType = (type: string): type is WebhookEventType => known.has(type);

/** Limits of an endpoint's input (characters). */
export const URL_MAX_LENGTH = 2048;
export const DESCRIPTION_MAX_LENGTH = 140;

/** After a rotation the previous secret keeps signing beside the new one this long. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3_600_000;

/** Every attempt failing this long (since the first failure after the last success) disables the endpoint. */
export const FAILING_DISABLES_AFTER_MS = 5 * 24 * 3_600_000;

/** Deliveries, their attempts and their events are shown and kept this long. */
export const RETENTION_MS = 30 * 24 * 3_600_000;

/** Why an endpoint was disabled (`disabledReason`). */
export const DisabledReason = {
  GONE: 'The endpoint answered HTTP 410 Gone.',
  FAILING: 'Every delivery failed for 5 days.',
  BY_OWNER: 'Disabled by an OWNER.',
} as const;

/** Per worker process unless said otherwise; overridable (worker/config.ts). */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** In flight to one endpoint at once, across all workers (counted by leases): a slow receiver holds this many slots, no more. */
export const DEFAULT_ENDPOINT_CONCURRENCY = 4;
/** In flight in one worker process at once. */
export const DEFAULT_WORKER_CONCURRENCY = 32;

/** Typed, unguessable ids, like every other of Harbour's (`newId`: `whe_`, `evt_` — partners.md's event id — `whd_`, `wha_`). */
const KINDS = { endpoint: 'webhookEndpoint', event: 'event', delivery: 'webhookDelivery', attempt: 'webhookAttempt' } as const;

export const newWebhookId = (kind: keyof typeof KINDS): string => newId(KINDS[kind]);

export const isWebhookId = (kind: keyof typeof KINDS, value: string): boolean => isId(KINDS[kind], value);

/**
 * After the `failures`-th failed attempt of a delivery (counted since it was
 * made or last redelivered): the pause before the next one, or null when the
 * schedule is used up (the delivery is EXHAUSTED).
 */
export function retryDelay(schedule: readonly number[], failures: number): number | null {
  return schedule[failures - 1] ?? null;
}

/** An attempt answered 410 Gone: the receiver says the endpoint is gone for good. */
export const isGone = (status: number | null): boolean => status === 410;
