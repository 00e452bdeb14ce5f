/** Valid events of every type the timeline shows, as the producers create them. */
import { createEvent, friendshipEstablished, paymentCompleted, paymentCompletedV2, paymentRefunded, transferCompleted, walletToppedUp } from '@harbour/events';
import { newId } from '@harbour/server';

export const newUserId = () => newId('user');

export function paymentCompletedEvent(input: { payer: string; merchant: string; at: string; amountMinor?: string; businessName?: string; payerName?: string }) {
  const paymentId = newId('payment');
  return createEvent(paymentCompleted, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    occurredAt: input.at,
    payload: {
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId: newId('business'),
      businessName: input.businessName ?? 'Lucky Noodles',
      payerUserId: input.payer,
      payerDisplayName: input.payerName ?? 'Chan Siu Ming',
      merchantUserId: input.merchant,
      amountMinor: input.amountMinor ?? '8850',
      currency: 'HKD',
      reference: 'T12',
      completedAt: input.at,
    },
  });
}

/** The version 2 the payment subgraph writes beside a payment request's version 1 `paid`, naming it. */
export function paymentCompletedV2Companion(paid: ReturnType<typeof paymentCompletedEvent>) {
  const { merchantUserId, ...rest } = paid.payload;
  return createEvent(paymentCompletedV2, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paid.aggregateId,
    occurredAt: paid.occurredAt,
    payload: { ...rest, source: 'PAYMENT_REQUEST', paymentLinkId: null, createdByUserId: merchantUserId, v1EventId: paid.id },
  });
}

export function paymentRefundedEvent(input: { payer: string; refundedBy: string; at: string; amountMinor?: string }) {
  const paymentId = newId('payment');
  return createEvent(paymentRefunded, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    occurredAt: input.at,
    payload: {
      refundId: newId('refund'),
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId: newId('business'),
      businessName: 'Lucky Noodles',
      payerUserId: input.payer,
      refundedByUserId: input.refundedBy,
      amountMinor: input.amountMinor ?? '850',
      refundedTotalMinor: input.amountMinor ?? '850',
      paymentAmountMinor: '8850',
      paymentStatus: 'PARTIALLY_REFUNDED',
      currency: 'HKD',
      reason: null,
      createdAt: input.at,
    },
  });
}

export function transferCompletedEvent(input: { sender: string; recipient: string; at: string; amountMinor?: string }) {
  const transferId = newId('transfer');
  return createEvent(transferCompleted, {
    source: 'payment',
    aggregateType: 'transfer',
    aggregateId: transferId,
    occurredAt: input.at,
    payload: {
      transferId,
      senderUserId: input.sender,
      senderDisplayName: 'Chan Siu Ming',
      recipientUserId: input.recipient,
      recipientDisplayName: '李嘉欣',
      amountMinor: input.amountMinor ?? '2000',
      currency: 'HKD',
      message: 'lunch',
      createdAt: input.at,
    },
  });
}

export function walletToppedUpEvent(input: { user: string; at: string; amountMinor?: string }) {
  const accountId = newId('account');
  return createEvent(walletToppedUp, {
    source: 'payment',
    aggregateType: 'account',
    aggregateId: accountId,
    occurredAt: input.at,
    payload: {
      topUpId: newId('journalEntry'),
      userId: input.user,
      accountId,
      amountMinor: input.amountMinor ?? '20000',
      currency: 'HKD',
      balanceMinor: input.amountMinor ?? '20000',
      toppedUpAt: input.at,
    },
  });
}

export function friendshipEstablishedEvent(input: { requester: string; accepter: string; at: string }) {
  const friendshipId = `frd_${newId('user').slice(4)}`;
  return createEvent(friendshipEstablished, {
    source: 'social',
    aggregateType: 'friendship',
    aggregateId: friendshipId,
    occurredAt: input.at,
    payload: {
      friendshipId,
      requesterUserId: input.requester,
      requesterDisplayName: 'Amy',
      accepterUserId: input.accepter,
      accepterDisplayName: 'Ben',
      establishedAt: input.at,
    },
  });
}
