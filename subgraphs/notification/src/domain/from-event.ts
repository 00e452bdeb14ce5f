/**
 * Which notifications an event makes: one per side (or, for a payout, one per
 * OWNER of the business; for a statement, the member who asked), each a kind
 * plus the parameters its text needs (see params.ts), never rendered text.
 */
import { paymentCompletedFacts, paymentRefundedFacts, type KnownEvent } from '@harbour/events';
import type { NotificationKind } from './kinds';
import type { ParamsByKind } from './params';

export type NotificationDraft = { [K in NotificationKind]: { userId: string; kind: K; params: ParamsByKind[K] } }[NotificationKind];

/** The notifications `event` makes, in order; none for events no one is notified of. */
export function notificationsFor(event: KnownEvent): NotificationDraft[] {
  switch (event.type) {
    case 'payment.completed': {
      const p = paymentCompletedFacts(event);
      const common = { paymentId: p.paymentId, businessId: p.businessId, businessName: p.businessName, amountMinor: p.amountMinor, currency: p.currency, reference: p.reference };
      const sent: NotificationDraft = { userId: p.payerUserId, kind: 'PAYMENT_SENT', params: common };
      // The member who asked is told; a shop-QR or link payment has no one who asked (the counter hears businessPaymentReceived).
      if (!p.createdByUserId) return [sent];
      return [sent, { userId: p.createdByUserId, kind: 'PAYMENT_RECEIVED', params: { ...common, payerUserId: p.payerUserId, payerDisplayName: p.payerDisplayName } }];
    }
    case 'payment.refunded': {
      const p = paymentRefundedFacts(event);
      const common = { refundId: p.refundId, paymentId: p.paymentId, businessId: p.businessId, businessName: p.businessName, amountMinor: p.amountMinor, currency: p.currency, reason: p.reason };
      const received: NotificationDraft = { userId: p.payerUserId, kind: 'REFUND_RECEIVED', params: common };
      // A refund made with a partner's API key has no member who made it (the partner hears the webhook).
      if (!p.refundedByUserId) return [received];
      return [received, { userId: p.refundedByUserId, kind: 'REFUND_SENT', params: { ...common, payerUserId: p.payerUserId } }];
    }
    case 'transfer.completed': {
      const p = event.payload;
      const common = { transferId: p.transferId, amountMinor: p.amountMinor, currency: p.currency, message: p.message };
      return [
        { userId: p.senderUserId, kind: 'TRANSFER_SENT', params: { ...common, recipientUserId: p.recipientUserId, recipientDisplayName: p.recipientDisplayName } },
        { userId: p.recipientUserId, kind: 'TRANSFER_RECEIVED', params: { ...common, senderUserId: p.senderUserId, senderDisplayName: p.senderDisplayName } },
      ];
    }
    case 'wallet.topped_up': {
      const p = event.payload;
      return [{ userId: p.userId, kind: 'WALLET_TOPPED_UP', params: { topUpId: p.topUpId, amountMinor: p.amountMinor, currency: p.currency, balanceMinor: p.balanceMinor } }];
    }
    case 'friendship.established': {
      const p = event.payload;
      return [
        { userId: p.requesterUserId, kind: 'FRIEND_ADDED', params: { friendshipId: p.friendshipId, friendUserId: p.accepterUserId, friendDisplayName: p.accepterDisplayName } },
        { userId: p.accepterUserId, kind: 'FRIEND_ADDED', params: { friendshipId: p.friendshipId, friendUserId: p.requesterUserId, friendDisplayName: p.requesterDisplayName } },
      ];
    }
    case 'business.membership_changed': {
      const p = event.payload;
      // Told only when someone else added them (not the OWNER registering their own business).
      if (p.change !== 'ADDED' || p.role === null || p.changedByUserId === p.userId) return [];
      return [{ userId: p.userId, kind: 'BUSINESS_MEMBER_ADDED', params: { businessId: p.businessId, businessName: p.businessName, role: p.role, addedByUserId: p.changedByUserId } }];
    }
    case 'payout_account.changed': {
      const p = event.payload;
      const params = { businessId: p.businessId, businessName: p.businessName, changedByUserId: p.changedByUserId, ...destinationOf(p.destination), holdUntil: p.holdUntil };
      return toOwners(p.ownerUserIds, (userId) => ({ userId, kind: 'PAYOUT_ACCOUNT_CHANGED', params }));
    }
    case 'payout.paid': {
      const params = payoutParams(event.payload);
      return toOwners(event.payload.ownerUserIds, (userId) => ({ userId, kind: 'PAYOUT_PAID', params }));
    }
    case 'payout.failed': {
      const params = { ...payoutParams(event.payload), failureCode: event.payload.failureCode };
      return toOwners(event.payload.ownerUserIds, (userId) => ({ userId, kind: 'PAYOUT_FAILED', params }));
    }
    case 'statement.ready': {
      const p = event.payload;
      // Told only to the member who asked for it (none when a partner's API key did).
      const params = { statementId: p.statementId, businessId: p.businessId, businessName: p.businessName, format: p.format, from: p.from, to: p.to, rowCount: p.rowCount };
      return p.requestedByUserId ? [{ userId: p.requestedByUserId, kind: 'STATEMENT_READY', params }] : [];
    }
    case 'wallet.freeze_changed': {
      const { userId, frozen } = event.payload;
      return [frozen ? { userId, kind: 'WALLET_FROZEN', params: { frozen } } : { userId, kind: 'WALLET_UNFROZEN', params: { frozen } }];
    }
    case 'business.freeze_changed': {
      const { businessId, businessName, frozen } = event.payload;
      const params = { businessId, businessName, frozen };
      return toOwners(event.payload.ownerUserIds, (userId) => (frozen ? { userId, kind: 'BUSINESS_FROZEN', params } : { userId, kind: 'BUSINESS_UNFROZEN', params }));
    }
    default:
      return [];
  }
}

type PayloadOf<T extends KnownEvent['type']> = Extract<KnownEvent, { type: T }>['payload'];

/** One notification per OWNER the event names, each once (in the event's order). */
function toOwners(ownerUserIds: readonly string[], draft: (userId: string) => NotificationDraft): NotificationDraft[] {
  return [...new Set(ownerUserIds)].map(draft);
}

/** The bank and the last four digits, named field by field: nothing else of the account is ever stored. */
function destinationOf({ bankCode, bankName, accountNumberLast4 }: PayloadOf<'payout.paid'>['destination']) {
  return { bankCode, bankName, accountNumberLast4 };
}

function payoutParams(p: PayloadOf<'payout.paid' | 'payout.failed'>) {
  return { payoutId: p.payoutId, businessId: p.businessId, businessName: p.businessName, amountMinor: p.amountMinor, currency: p.currency, trigger: p.trigger, ...destinationOf(p.destination) };
}
