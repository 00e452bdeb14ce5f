/**
 * Events the payment subgraph writes to its outbox. Each carries the names
 * and amounts its consumers (notifications, timelines, social, analytics)
 * need, as they were at that moment, so no consumer calls back.
 *
 * Suggested aggregates (the outbox keeps each aggregate's events in order):
 * a payment request's lifecycle on `payment_request`/paymentRequestId, a
 * payment and its refunds on `payment`/paymentId, a transfer on
 * `transfer`/transferId, a top-up on `account`/the wallet account id.
 */
import { z } from 'zod';
import { defineEvent } from './define';
import { amountMinor, businessName, currency, displayName, id, timestamp } from './fields';

/**
 * A payer paid a merchant's payment request. Version 1 describes payment
 * request payments only; the payment subgraph writes it beside version 2 for
 * those, for consumers that do not know version 2 yet (both carry the same
 * payment: consumers apply whichever arrives first, see `factOf`).
 */
export const paymentCompleted = defineEvent(
  'payment.completed',
  1,
  z.object({
    paymentId: id,
    paymentRequestId: id,
    businessId: id,
    businessName,
    payerUserId: id,
    payerDisplayName: displayName,
    /** Who created the payment request (an OWNER or CASHIER of the business). */
    merchantUserId: id,
    amountMinor,
    currency,
    /** The merchant's reference on the request (e.g. an order number), if any. */
    reference: z.string().max(25).nullable(),
    completedAt: timestamp,
  }),
);

/**
 * In a version 2 event, the id of the version 1 event written beside it (a
 * payment request's payment or refund), or null. A consumer built before
 * `factOf` recorded a version 1 by its event id; a newer one handed this
 * version 2 checks that id too, so that during a rolling deploy the fact is
 * applied once whichever consumer took which version (`processedIdsOf`).
 */
const v1EventId = id.nullable();

/** Where a payment came from (merchant.md): a payment request, the shop's own QR code, a payment link. */
export const paymentSource = z.enum(['PAYMENT_REQUEST', 'SHOP_QR', 'PAYMENT_LINK']);

/**
 * A payer paid a business, whatever the source: version 2 of
 * `payment.completed`. A shop-QR or link payment has no payment request and
 * no creator (`createdByUserId` null); `reference` is the request's, or the
 * payer's own for a shop-QR payment.
 */
export const paymentCompletedV2 = defineEvent(
  'payment.completed',
  2,
  z.object({
    paymentId: id,
    source: paymentSource,
    paymentRequestId: id.nullable(),
    paymentLinkId: id.nullable(),
    businessId: id,
    businessName,
    payerUserId: id,
    payerDisplayName: displayName,
    /** The member who created the payment request (null for shop-QR and link payments). */
    createdByUserId: id.nullable(),
    amountMinor,
    currency,
    reference: z.string().max(25).nullable(),
    completedAt: timestamp,
    v1EventId,
  }),
);

/** What a refund says, in either version. */
const refundFields = z.object({
  refundId: id,
  paymentId: id,
  paymentRequestId: id,
  businessId: id,
  businessName,
  payerUserId: id,
  /** The member who refunded; null when a partner's API key did. */
  refundedByUserId: id.nullable(),
  /** The API key whose machine token did it (partners.md), when no member did: then the member field is null. Absent from older events. */
  refundedByApiKeyId: id.nullable().optional(),
  /** This refund. */
  amountMinor,
  /** All refunds of the payment so far, this one included. */
  refundedTotalMinor: amountMinor,
  paymentAmountMinor: amountMinor,
  paymentStatus: z.enum(['PARTIALLY_REFUNDED', 'REFUNDED']),
  currency,
  reason: z.string().max(140).nullable(),
  createdAt: timestamp,
  /** The payment's reference and completion, for webhooks (partners.md); absent from events written before they were added. */
  paymentReference: z.string().max(25).nullable().optional(),
  paymentCompletedAt: timestamp.optional(),
});

/** A merchant refunded all or part of a payment (of a payment request: version 1; any payment: version 2). */
export const paymentRefunded = defineEvent('payment.refunded', 1, refundFields);

/** A merchant refunded all or part of any payment: version 2 of `payment.refunded`, with the payment's source. */
export const paymentRefundedV2 = defineEvent('payment.refunded', 2, refundFields.extend({ source: paymentSource, paymentRequestId: id.nullable(), v1EventId }));

/** A user sent money to another user's wallet. */
export const transferCompleted = defineEvent(
  'transfer.completed',
  1,
  z.object({
    transferId: id,
    senderUserId: id,
    senderDisplayName: displayName,
    recipientUserId: id,
    recipientDisplayName: displayName,
    amountMinor,
    currency,
    message: z.string().max(140).nullable(),
    createdAt: timestamp,
  }),
);

/** A merchant created a payment request (the QR code a payer scans). */
export const paymentRequestCreated = defineEvent(
  'payment_request.created',
  1,
  z.object({
    paymentRequestId: id,
    businessId: id,
    businessName,
    businessCity: z.string().min(1).max(15),
    merchantCategoryCode: z.string().regex(/^[0-9]{4}$/).nullable(),
    /** The member who asked; null when a partner's API key did. */
    createdByUserId: id.nullable(),
    /** The API key whose machine token did it (partners.md), when no member did: then the member field is null. Absent from older events. */
    createdByApiKeyId: id.nullable().optional(),
    amountMinor,
    currency,
    reference: z.string().max(25).nullable(),
    expiresAt: timestamp,
    createdAt: timestamp,
  }),
);

/** A merchant cancelled a pending payment request. */
export const paymentRequestCancelled = defineEvent(
  'payment_request.cancelled',
  1,
  z.object({
    paymentRequestId: id,
    businessId: id,
    businessName,
    createdByUserId: id.nullable(),
    cancelledByUserId: id.nullable(),
    /** The API key whose machine token did it (partners.md), when no member did: then the member field is null. Absent from older events. */
    cancelledByApiKeyId: id.nullable().optional(),
    amountMinor,
    currency,
    reference: z.string().max(25).nullable(),
    /** When it would have expired, for webhooks (partners.md); absent from events written before it was added. */
    expiresAt: timestamp.optional(),
    cancelledAt: timestamp,
  }),
);

/** A pending payment request passed its expiry unpaid. */
export const paymentRequestExpired = defineEvent(
  'payment_request.expired',
  1,
  z.object({
    paymentRequestId: id,
    businessId: id,
    businessName,
    /** Null when a partner's API key asked for it. */
    createdByUserId: id.nullable(),
    amountMinor,
    currency,
    reference: z.string().max(25).nullable(),
    /** When it was due to expire. */
    expiresAt: timestamp,
    /** When the expiry was recorded (at or after expiresAt). */
    expiredAt: timestamp,
  }),
);

/** Money came into a user's wallet from outside (sandbox top-up or a funding source). */
export const walletToppedUp = defineEvent(
  'wallet.topped_up',
  1,
  z.object({
    /** The id of this top-up operation. */
    topUpId: id,
    userId: id,
    /** The wallet ledger account credited. */
    accountId: id,
    amountMinor,
    currency,
    /** The wallet's balance right after the top-up. */
    balanceMinor: amountMinor,
    toppedUpAt: timestamp,
  }),
);

/**
 * console.md: staff froze or unfroze a user's wallet (money out of it →
 * WALLET_FROZEN; money can still come in). The user is told.
 */
export const walletFreezeChanged = defineEvent(
  'wallet.freeze_changed',
  1,
  z.object({
    userId: id,
    frozen: z.boolean(),
    changedByUserId: id,
    changedAt: timestamp,
  }),
);
