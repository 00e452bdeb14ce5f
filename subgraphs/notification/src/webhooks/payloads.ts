/**
 * What each domain event tells a business's webhook endpoints (partners.md):
 * the payload's `data` is the object as the contract's `PartnerPayment` /
 * `PartnerPaymentRequest` select it, with the same field names and amounts
 * as the API shows them (`{ amount: "88.50", currencyCode: "HKD" }`), and
 * the `businessId`. Payouts and statements use their money-out.graphql field
 * names. Built from the event alone, as it was then (service-boundaries.md).
 */
import { paymentCompletedFacts, paymentRefundedFacts, type KnownEvent } from '@harbour/events';
import { formatDecimal } from '@harbour/server';
import { WEBHOOK_API_VERSION, type WebhookEventType } from './rules';

export interface WebhookDraft {
  type: WebhookEventType | 'webhook.test';
  businessId: string;
  data: Record<string, unknown> & { businessId: string };
}

/** The exact body of a webhook: what every delivery of the event sends. */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  apiVersion: typeof WEBHOOK_API_VERSION;
  data: Record<string, unknown>;
}

export function webhookPayload(id: string, draft: WebhookDraft, createdAt: Date): WebhookPayload {
  return { id, type: draft.type, createdAt: createdAt.toISOString(), apiVersion: WEBHOOK_API_VERSION, data: draft.data };
}

const money = (amountMinor: string, currencyCode: string) => ({ amount: formatDecimal(BigInt(amountMinor)), currencyCode });

/** The webhooks `event` makes, in order (none for events partners are not told of). */
export function webhooksFor(event: KnownEvent): WebhookDraft[] {
  switch (event.type) {
    case 'payment.completed': {
      const p = paymentCompletedFacts(event);
      const payment = {
        id: p.paymentId,
        status: 'COMPLETED',
        source: p.source,
        amount: money(p.amountMinor, p.currency),
        refundedAmount: money('0', p.currency),
        reference: p.reference,
        completedAt: p.completedAt,
        businessId: p.businessId,
      };
      const drafts: WebhookDraft[] = [{ type: 'payment.completed', businessId: p.businessId, data: payment }];
      // A link's payment is also told as the link's, for endpoints that follow links only.
      if (p.source === 'PAYMENT_LINK' && p.paymentLinkId) drafts.push({ type: 'payment_link.completed', businessId: p.businessId, data: { ...payment, paymentLinkId: p.paymentLinkId } });
      return drafts;
    }
    case 'payment.refunded': {
      const p = paymentRefundedFacts(event);
      const data = {
        id: p.paymentId,
        status: p.paymentStatus,
        source: p.source,
        amount: money(p.paymentAmountMinor, p.currency),
        refundedAmount: money(p.refundedTotalMinor, p.currency),
        reference: p.paymentReference ?? null,
        completedAt: p.paymentCompletedAt ?? null,
        refund: { id: p.refundId, amount: money(p.amountMinor, p.currency), reason: p.reason, createdAt: p.createdAt },
        businessId: p.businessId,
      };
      return [{ type: 'refund.completed', businessId: p.businessId, data }];
    }
    case 'payment_request.expired':
    case 'payment_request.cancelled': {
      const p = event.payload;
      const expired = event.type === 'payment_request.expired';
      const data = {
        id: p.paymentRequestId,
        status: expired ? 'EXPIRED' : 'CANCELLED',
        amount: money(p.amountMinor, p.currency),
        reference: p.reference,
        expiresAt: p.expiresAt ?? null,
        payment: null,
        businessId: p.businessId,
      };
      return [{ type: event.type, businessId: p.businessId, data }];
    }
    case 'payout.paid':
    case 'payout.failed': {
      const p = event.payload;
      const paid = event.type === 'payout.paid';
      const data = {
        id: p.payoutId,
        status: paid ? 'PAID' : 'FAILED',
        trigger: p.trigger,
        amount: money(p.amountMinor, p.currency),
        paidAt: paid ? event.payload.paidAt : null,
        failedAt: paid ? null : event.payload.failedAt,
        failureCode: paid ? null : event.payload.failureCode,
        destination: { bankName: p.destination.bankName, accountNumberLast4: p.destination.accountNumberLast4 },
        businessId: p.businessId,
      };
      return [{ type: event.type, businessId: p.businessId, data }];
    }
    case 'statement.ready': {
      const p = event.payload;
      return [{ type: 'statement.ready', businessId: p.businessId, data: { id: p.statementId, status: 'READY', format: p.format, from: p.from, to: p.to, rowCount: p.rowCount, businessId: p.businessId } }];
    }
    default:
      return [];
  }
}

/** `sendTestWebhook`'s event: says only which endpoint it tests. */
export function testWebhook(businessId: string, endpointId: string): WebhookDraft {
  return { type: 'webhook.test', businessId, data: { endpointId, message: 'A test webhook from Harbour.', businessId } };
}
