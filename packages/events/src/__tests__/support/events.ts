import { createEvent, type DomainEvent } from '../../definitions/envelope';
import { paymentCompleted, transferCompleted } from '../../definitions/payment';

/** A valid transfer.completed for aggregate `aggregateId`; `n` lands in the amount so tests can tell events apart. */
export function transferEvent(aggregateId: string, n: number): DomainEvent {
  return createEvent(transferCompleted, {
    source: 'payment',
    aggregateType: 'transfer',
    aggregateId,
    payload: {
      transferId: aggregateId,
      senderUserId: 'usr_sender',
      senderDisplayName: 'Chan Tai Man',
      recipientUserId: 'usr_recipient',
      recipientDisplayName: '陳小明',
      amountMinor: String(100 + n),
      currency: 'HKD',
      message: `#${n}`,
      createdAt: new Date().toISOString(),
    },
  });
}

export function transferEvents(count: number, aggregates = 1): DomainEvent[] {
  return Array.from({ length: count }, (_, n) => transferEvent(`trf_${n % aggregates}`, n));
}

export function paymentCompletedEvent(paymentId = 'pay_1') {
  return createEvent(paymentCompleted, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: {
      paymentId,
      paymentRequestId: 'prq_1',
      businessId: 'biz_1',
      businessName: 'Lucky Dim Sum',
      payerUserId: 'usr_payer',
      payerDisplayName: 'Wong Siu Ming',
      merchantUserId: 'usr_cashier',
      amountMinor: '1250',
      currency: 'HKD',
      reference: 'T12',
      completedAt: '2026-11-22T01:02:03.456Z',
    },
    occurredAt: '2026-11-22T01:02:03.456Z',
  });
}
