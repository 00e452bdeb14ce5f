/** Every event type and version Harbour emits; `parseEvent` accepts exactly these. */
import type { EventDefinition } from './define';
import type { EventOf } from './envelope';
import { businessFreezeChanged, businessMembershipChanged, businessRegistered } from './business';
import {
  paymentCompleted,
  paymentCompletedV2,
  paymentRefunded,
  paymentRefundedV2,
  paymentRequestCancelled,
  paymentRequestCreated,
  paymentRequestExpired,
  transferCompleted,
  walletFreezeChanged,
  walletToppedUp,
} from './payment';
import { payoutAccountChanged, payoutFailed, payoutPaid } from './payout';
import { statementReady } from './statement';
import { friendshipEstablished } from './social';
import { userSignedUp } from './user';

export const catalogue = [
  paymentCompleted,
  paymentCompletedV2,
  paymentRefunded,
  paymentRefundedV2,
  transferCompleted,
  paymentRequestCreated,
  paymentRequestCancelled,
  paymentRequestExpired,
  walletToppedUp,
  userSignedUp,
  businessRegistered,
  businessMembershipChanged,
  businessFreezeChanged,
  walletFreezeChanged,
  friendshipEstablished,
  payoutAccountChanged,
  payoutPaid,
  payoutFailed,
  statementReady,
] as const;

export type CatalogueDefinition = (typeof catalogue)[number];

/** Any event of the catalogue; `switch (event.type)` (then `event.version`) narrows the payload. */
export type KnownEvent = EventOf<CatalogueDefinition>;

const byKey = new Map<string, EventDefinition>(catalogue.map((definition) => [keyOf(definition.type, definition.version), definition]));
if (byKey.size !== catalogue.length) throw new Error('The event catalogue defines a type and version twice.');

function keyOf(type: string, version: number): string {
  return `${type}@${version}`;
}

/** The definition of `type` at `version`, or undefined when this build does not know it. */
export function findDefinition(type: string, version: number): EventDefinition | undefined {
  return byKey.get(keyOf(type, version));
}

/**
 * What a consumer records as applied (`processed_events.event_id`): the
 * event's id, except where one fact travels as two versions of one type
 * (a producer writing the old version beside the new while consumers move):
 * then the fact's own id, so that whichever version arrives first is applied
 * and the other is a duplicate.
 */
export function factOf(event: KnownEvent): string {
  switch (event.type) {
    case 'payment.completed':
      return event.payload.paymentId;
    case 'payment.refunded':
      return event.payload.refundId;
    default:
      return event.id;
  }
}

/**
 * Every id this fact may have been recorded under in `processed_events` by
 * a consumer of any deployed version: `factOf` first (every current
 * consumer claims it first, so two of them serialise on that row), then the
 * event's own id, then — for a version 2 — its version 1 companion's id
 * (what a consumer older than `factOf` recorded). One of them recorded: the
 * fact was applied.
 */
export function processedIdsOf(event: KnownEvent): string[] {
  const companion = (event.type === 'payment.completed' || event.type === 'payment.refunded') && event.version === 2 ? event.payload.v1EventId : null;
  return [...new Set([factOf(event), event.id, ...(companion ? [companion] : [])])];
}

type PayloadOf<T extends KnownEvent['type'], V extends number> = Extract<KnownEvent, { type: T; version: V }>['payload'];

/** A `payment.completed` of either version in version 2's terms (a version 1 is a payment request's payment). */
export function paymentCompletedFacts(event: Extract<KnownEvent, { type: 'payment.completed' }>): PayloadOf<'payment.completed', 2> {
  if (event.version === 2) return event.payload;
  const { merchantUserId, ...rest } = event.payload;
  return { ...rest, source: 'PAYMENT_REQUEST', paymentLinkId: null, createdByUserId: merchantUserId, v1EventId: event.id };
}

/** A `payment.refunded` of either version in version 2's terms. */
export function paymentRefundedFacts(event: Extract<KnownEvent, { type: 'payment.refunded' }>): PayloadOf<'payment.refunded', 2> {
  return event.version === 2 ? event.payload : { ...event.payload, source: 'PAYMENT_REQUEST', v1EventId: event.id };
}
