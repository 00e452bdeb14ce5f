/**
 * What each event puts on whose timeline. An entry is a kind plus the
 * parameters its summary is rendered from when read (names and amounts as
 * they were when it happened: history, not staleness), and `occurredAt`,
 * the time the thing happened according to the event, never the time it
 * was consumed.
 */
import { paymentCompletedFacts, paymentRefundedFacts, type KnownEvent } from '@harbour/events';
import type { TimelineEntryKind } from './kinds';

interface Amount {
  /** Integer minor units as a string, as events carry them ("8850" is HK$88.50). */
  amountMinor: string;
  currency: string;
}

/** `timeline_entries.params` of each kind. Readers treat stored params as untrusted (see render/summary.ts). */
export interface EntryParams {
  PAYMENT_SENT: Amount & { paymentId: string; paymentRequestId: string | null; businessId: string; businessName: string; reference: string | null };
  PAYMENT_RECEIVED: Amount & {
    paymentId: string;
    paymentRequestId: string | null;
    businessId: string;
    businessName: string;
    payerUserId: string;
    payerName: string;
    reference: string | null;
  };
  REFUND_SENT: Amount & { refundId: string; paymentId: string; businessId: string; businessName: string; payerUserId: string };
  REFUND_RECEIVED: Amount & { refundId: string; paymentId: string; businessId: string; businessName: string };
  TRANSFER_SENT: Amount & { transferId: string; counterpartyUserId: string; counterpartyName: string; message: string | null };
  TRANSFER_RECEIVED: Amount & { transferId: string; counterpartyUserId: string; counterpartyName: string; message: string | null };
  WALLET_TOPPED_UP: Amount & { topUpId: string; accountId: string };
  FRIEND_ADDED: { friendshipId: string; friendUserId: string; friendName: string };
}

export type EntryDraft = {
  [K in TimelineEntryKind]: { userId: string; kind: K; params: EntryParams[K]; occurredAt: Date };
}[TimelineEntryKind];

function entry<K extends TimelineEntryKind>(userId: string, kind: K, occurredAt: string, params: EntryParams[K]): EntryDraft {
  return { userId, kind, occurredAt: new Date(occurredAt), params } as EntryDraft;
}

/** The entries `event` makes: one per side; none for events the timeline does not show. */
export function entriesFor(event: KnownEvent): EntryDraft[] {
  // Each type has one version today; a new version is a new case here (parseEvent has checked the payload).
  switch (event.type) {
    case 'payment.completed': {
      const p = paymentCompletedFacts(event);
      const common = { paymentId: p.paymentId, paymentRequestId: p.paymentRequestId, businessId: p.businessId, businessName: p.businessName };
      const amount = { amountMinor: p.amountMinor, currency: p.currency };
      const sent = entry(p.payerUserId, 'PAYMENT_SENT', p.completedAt, { ...common, ...amount, reference: p.reference });
      // On the timeline of the member who asked; a shop-QR or link payment shows in the business's payments instead.
      if (!p.createdByUserId) return [sent];
      return [
        sent,
        entry(p.createdByUserId, 'PAYMENT_RECEIVED', p.completedAt, {
          ...common,
          ...amount,
          payerUserId: p.payerUserId,
          payerName: p.payerDisplayName,
          reference: p.reference,
        }),
      ];
    }
    case 'payment.refunded': {
      const p = paymentRefundedFacts(event);
      const common = { refundId: p.refundId, paymentId: p.paymentId, businessId: p.businessId, businessName: p.businessName, amountMinor: p.amountMinor, currency: p.currency };
      const received = entry(p.payerUserId, 'REFUND_RECEIVED', p.createdAt, common);
      // A refund a partner's API key made has no member behind it: only the payer's timeline shows it.
      if (!p.refundedByUserId) return [received];
      return [received, entry(p.refundedByUserId, 'REFUND_SENT', p.createdAt, { ...common, payerUserId: p.payerUserId })];
    }
    case 'transfer.completed': {
      const p = event.payload;
      const common = { transferId: p.transferId, amountMinor: p.amountMinor, currency: p.currency, message: p.message };
      return [
        entry(p.senderUserId, 'TRANSFER_SENT', p.createdAt, { ...common, counterpartyUserId: p.recipientUserId, counterpartyName: p.recipientDisplayName }),
        entry(p.recipientUserId, 'TRANSFER_RECEIVED', p.createdAt, { ...common, counterpartyUserId: p.senderUserId, counterpartyName: p.senderDisplayName }),
      ];
    }
    case 'wallet.topped_up': {
      const p = event.payload;
      return [entry(p.userId, 'WALLET_TOPPED_UP', p.toppedUpAt, { topUpId: p.topUpId, accountId: p.accountId, amountMinor: p.amountMinor, currency: p.currency })];
    }
    case 'friendship.established': {
      const p = event.payload;
      return [
        entry(p.requesterUserId, 'FRIEND_ADDED', p.establishedAt, { friendshipId: p.friendshipId, friendUserId: p.accepterUserId, friendName: p.accepterDisplayName }),
        entry(p.accepterUserId, 'FRIEND_ADDED', p.establishedAt, { friendshipId: p.friendshipId, friendUserId: p.requesterUserId, friendName: p.requesterDisplayName }),
      ];
    }
    default:
      return [];
  }
}
