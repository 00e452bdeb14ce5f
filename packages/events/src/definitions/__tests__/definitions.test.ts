import { decodeTime } from 'ulid';
import { z } from 'zod';
import { InvalidEventError } from '../../errors';
import { businessMembershipChanged, businessRegistered } from '../business';
import { friendshipEstablished } from '../social';
import { catalogue, factOf, findDefinition, paymentCompletedFacts, processedIdsOf, type KnownEvent } from '../catalogue';
import { defineEvent, type EventPayload } from '../define';
import { createEvent, isEvent, outboxRow, type DomainEvent } from '../envelope';
import { parseEvent } from '../parse';
import { payoutAccountChanged, payoutFailed, payoutPaid } from '../payout';
import {
  paymentCompleted,
  paymentRefunded,
  paymentRequestCancelled,
  paymentRequestCreated,
  paymentRequestExpired,
  transferCompleted,
  walletToppedUp,
} from '../payment';
import { statementReady } from '../statement';
import { userSignedUp } from '../user';

const at = '2026-11-22T01:02:03.456Z';

/** A valid payload for every definition in the catalogue (and what each looks like). */
const samples: Record<string, EventPayload> = {
  'business.freeze_changed': { businessId: 'biz_1', businessName: 'Lucky Dim Sum', frozen: true, ownerUserIds: ['usr_owner'], changedByUserId: 'usr_staff', changedAt: at },
  'wallet.freeze_changed': { userId: 'usr_payer', frozen: true, changedByUserId: 'usr_staff', changedAt: at },
  [paymentCompleted.type]: {
    paymentId: 'pay_1', paymentRequestId: 'prq_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', payerUserId: 'usr_payer',
    payerDisplayName: 'Wong Siu Ming', merchantUserId: 'usr_cashier', amountMinor: '1250', currency: 'HKD', reference: null, completedAt: at,
  },
  [paymentRefunded.type]: {
    refundId: 'rfd_1', paymentId: 'pay_1', paymentRequestId: 'prq_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', payerUserId: 'usr_payer',
    refundedByUserId: 'usr_owner', amountMinor: '250', refundedTotalMinor: '250', paymentAmountMinor: '1250', paymentStatus: 'PARTIALLY_REFUNDED',
    currency: 'HKD', reason: 'Cold tea', createdAt: at,
  },
  [transferCompleted.type]: {
    transferId: 'trf_1', senderUserId: 'usr_a', senderDisplayName: 'Ada', recipientUserId: 'usr_b', recipientDisplayName: 'Bo',
    amountMinor: '5000', currency: 'HKD', message: 'Dinner 🍜', createdAt: at,
  },
  [paymentRequestCreated.type]: {
    paymentRequestId: 'prq_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', businessCity: 'Hong Kong', merchantCategoryCode: '5812',
    createdByUserId: 'usr_cashier', amountMinor: '1250', currency: 'HKD', reference: 'T12', expiresAt: '2026-11-22T01:17:03.456Z', createdAt: at,
  },
  [paymentRequestCancelled.type]: {
    paymentRequestId: 'prq_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', createdByUserId: 'usr_cashier', cancelledByUserId: 'usr_owner',
    amountMinor: '1250', currency: 'HKD', reference: null, cancelledAt: at,
  },
  [paymentRequestExpired.type]: {
    paymentRequestId: 'prq_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', createdByUserId: 'usr_cashier', amountMinor: '1250',
    currency: 'HKD', reference: null, expiresAt: at, expiredAt: at,
  },
  [walletToppedUp.type]: {
    topUpId: 'top_1', userId: 'usr_a', accountId: 'acc_1', amountMinor: '10000', currency: 'HKD', balanceMinor: '15000', toppedUpAt: at,
  },
  [userSignedUp.type]: { userId: 'usr_a', displayName: 'Ada', signedUpAt: at },
  [businessRegistered.type]: {
    businessId: 'biz_1', name: 'Lucky Dim Sum', city: 'Hong Kong', merchantCategoryCode: null, ownerUserId: 'usr_owner', registeredAt: at,
  },
  [businessMembershipChanged.type]: {
    businessId: 'biz_1', businessName: 'Lucky Dim Sum', userId: 'usr_cashier', change: 'ADDED', role: 'CASHIER', previousRole: null,
    changedByUserId: 'usr_owner', changedAt: at,
  },
  [friendshipEstablished.type]: {
    friendshipId: 'frd_1', requesterUserId: 'usr_a', requesterDisplayName: 'Ada', accepterUserId: 'usr_b', accepterDisplayName: 'Bo', establishedAt: at,
  },
  [payoutAccountChanged.type]: {
    businessId: 'biz_1', businessName: 'Lucky Dim Sum', changedByUserId: 'usr_owner', ownerUserIds: ['usr_owner', 'usr_owner2'],
    destination: { bankCode: '004', bankName: 'HSBC', accountNumberLast4: '1234' }, holdUntil: '2026-11-23T01:02:03.456Z', changedAt: at,
  },
  [payoutPaid.type]: {
    payoutId: 'pyt_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', ownerUserIds: ['usr_owner'], amountMinor: '123450', currency: 'HKD',
    trigger: 'AUTOMATIC', destination: { bankCode: '004', bankName: 'HSBC', accountNumberLast4: '1234' }, paidAt: at,
  },
  [payoutFailed.type]: {
    payoutId: 'pyt_2', businessId: 'biz_1', businessName: 'Lucky Dim Sum', ownerUserIds: ['usr_owner'], amountMinor: '5000', currency: 'HKD',
    trigger: 'MANUAL', destination: { bankCode: '024', bankName: 'Hang Seng Bank', accountNumberLast4: '0999' }, failureCode: 'ACCOUNT_CLOSED', failedAt: at,
  },
  [statementReady.type]: {
    statementId: 'stm_1', businessId: 'biz_1', businessName: 'Lucky Dim Sum', requestedByUserId: 'usr_manager', format: 'CSV',
    from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', rowCount: 1234, readyAt: at,
  },
};

const envelope = { source: 'payment' as const, aggregateType: 'payment', aggregateId: 'pay_1' };

describe('the catalogue', () => {
  /** Version 2 of payment.completed and payment.refunded: a shop-QR payment has no request and no creator. */
  const samplesV2: Record<string, EventPayload> = {
    'payment.completed': (() => {
      const { merchantUserId: _creator, ...rest } = samples['payment.completed']!;
      return { ...rest, source: 'SHOP_QR', paymentRequestId: null, paymentLinkId: null, createdByUserId: null, v1EventId: null };
    })(),
    'payment.refunded': { ...samples['payment.refunded']!, source: 'SHOP_QR', paymentRequestId: null, v1EventId: null },
  };
  const sampleOf = (definition: { type: string; version: number }) => (definition.version === 2 ? samplesV2 : samples)[definition.type];

  test('has the seventeen v1 events and the two v2 ones, each accepting its sample', () => {
    expect(catalogue.map((d) => `${d.type}@${d.version}`).sort()).toEqual(
      [...Object.keys(samples).map((type) => `${type}@1`), ...Object.keys(samplesV2).map((type) => `${type}@2`)].sort(),
    );
    for (const definition of catalogue) {
      const event = createEvent(definition as never, { ...envelope, payload: sampleOf(definition) as never });
      expect(event.payload).toEqual(sampleOf(definition));
      expect(findDefinition(definition.type, definition.version)).toBe(definition);
    }
  });

  test('the two versions of one payment are one fact; version 1 reads as version 2', () => {
    const v1 = parseEvent(createEvent(paymentCompleted, { ...envelope, payload: samples['payment.completed'] as never }));
    const v2 = parseEvent(createEvent(catalogue.find((d) => d.type === 'payment.completed' && d.version === 2)! as never, { ...envelope, payload: { ...samplesV2['payment.completed'], paymentId: samples['payment.completed']!.paymentId } as never }));
    if (v1.kind !== 'known' || v2.kind !== 'known' || v1.event.type !== 'payment.completed' || v2.event.type !== 'payment.completed') throw new Error('not known');
    expect(v1.event.id).not.toBe(v2.event.id);
    expect(factOf(v1.event)).toBe(factOf(v2.event));
    expect(factOf(v1.event)).toBe(samples['payment.completed']!.paymentId);
    expect(paymentCompletedFacts(v1.event)).toMatchObject({ source: 'PAYMENT_REQUEST', paymentLinkId: null, createdByUserId: samples['payment.completed']!.merchantUserId, paymentRequestId: samples['payment.completed']!.paymentRequestId });
    // Any other event is its own fact.
    const signedUp = parseEvent(createEvent(userSignedUp, { ...envelope, source: 'user', payload: samples['user.signed_up'] as never }));
    if (signedUp.kind !== 'known') throw new Error('not known');
    expect(factOf(signedUp.event)).toBe(signedUp.event.id);
  });

  test('processedIdsOf: the fact first, then the event, then a version 2’s version 1 companion', () => {
    const v1 = parseEvent(createEvent(paymentCompleted, { ...envelope, payload: samples['payment.completed'] as never }));
    if (v1.kind !== 'known') throw new Error('not known');
    const v2 = parseEvent(createEvent(catalogue.find((d) => d.type === 'payment.completed' && d.version === 2)! as never, {
      ...envelope,
      payload: { ...samplesV2['payment.completed'], paymentId: samples['payment.completed']!.paymentId, v1EventId: v1.event.id } as never,
    }));
    if (v2.kind !== 'known') throw new Error('not known');
    const paymentId = samples['payment.completed']!.paymentId as string;
    expect(processedIdsOf(v1.event)).toEqual([paymentId, v1.event.id]);
    expect(processedIdsOf(v2.event)).toEqual([paymentId, v2.event.id, v1.event.id]);
    // A shop-QR payment has no version 1: its fact and its own id.
    const alone = parseEvent(createEvent(catalogue.find((d) => d.type === 'payment.completed' && d.version === 2)! as never, { ...envelope, payload: samplesV2['payment.completed'] as never }));
    if (alone.kind !== 'known') throw new Error('not known');
    expect(processedIdsOf(alone.event)).toEqual([paymentId, alone.event.id]);
    const signedUp = parseEvent(createEvent(userSignedUp, { ...envelope, source: 'user', payload: samples['user.signed_up'] as never }));
    if (signedUp.kind !== 'known') throw new Error('not known');
    expect(processedIdsOf(signedUp.event)).toEqual([signedUp.event.id]);
  });

  test.each([
    ['an amount with a decimal point', { amountMinor: '12.50' }, 'amountMinor'],
    ['a negative amount', { amountMinor: '-5' }, 'amountMinor'],
    ['an amount as a number', { amountMinor: 1250 }, 'amountMinor'],
    ['a lower-case currency', { currency: 'hkd' }, 'currency'],
    ['a timestamp with an offset', { completedAt: '2026-11-22T09:02:03+08:00' }, 'completedAt'],
    ['a missing display name', { payerDisplayName: undefined }, 'payerDisplayName'],
  ])('rejects %s', (_, change, path) => {
    const payload = { ...samples['payment.completed'], ...change };
    const error = thrownBy(() => createEvent(paymentCompleted, { ...envelope, payload: payload as never }));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues.map((issue) => issue.path)).toEqual([path]);
    expect((error as InvalidEventError).type).toBe('payment.completed');
  });

  test('checks that a membership change and its roles agree', () => {
    const base = samples['business.membership_changed']!;
    const make = (payload: object) => () => createEvent(businessMembershipChanged, { ...envelope, payload: { ...base, ...payload } as never });
    expect(make({ change: 'ROLE_CHANGED', role: 'OWNER', previousRole: 'CASHIER' })).not.toThrow();
    expect(make({ change: 'REMOVED', role: null, previousRole: 'CASHIER' })).not.toThrow();
    expect(make({ change: 'ADDED', role: 'CASHIER', previousRole: 'OWNER' })).toThrow(InvalidEventError);
    expect(make({ change: 'ROLE_CHANGED', role: 'OWNER', previousRole: 'OWNER' })).toThrow(InvalidEventError);
  });

  test('defineEvent refuses malformed types and versions', () => {
    const schema = z.object({ a: z.string() });
    expect(() => defineEvent('Payment Completed', 1, schema)).toThrow(TypeError);
    expect(() => defineEvent('payment', 1, schema)).toThrow(TypeError);
    expect(() => defineEvent('payment.completed', 0, schema)).toThrow(TypeError);
    expect(() => defineEvent('payment.completed', 1.5, schema)).toThrow(TypeError);
  });
});

describe('createEvent and outboxRow', () => {
  test('wraps a payload in an envelope with an evt_ ULID id', () => {
    const before = Date.now();
    const event = createEvent(paymentCompleted, { ...envelope, payload: samples['payment.completed'] as never });
    expect(event).toMatchObject({ type: 'payment.completed', version: 1, source: 'payment', aggregateType: 'payment', aggregateId: 'pay_1' });
    expect(event.id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(event.id.slice(4))).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(event.occurredAt).toMatch(/Z$/);
  });

  test('ids sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 200 }, () => createEvent(userSignedUp, { ...envelope, payload: samples['user.signed_up'] as never }).id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
  });

  test('normalises occurredAt to ISO UTC and drops payload keys the definition does not know', () => {
    const event = createEvent(userSignedUp, {
      ...envelope,
      occurredAt: new Date(Date.UTC(2026, 10, 22, 1, 2, 3, 456)),
      payload: { ...(samples['user.signed_up'] as { userId: string; displayName: string; signedUpAt: string }), phone: '+85291234567' } as never,
    });
    expect(event.occurredAt).toBe(at);
    expect(event.payload).not.toHaveProperty('phone');
  });

  test('refuses aggregate ids and types the outbox columns cannot hold', () => {
    const payload = samples['user.signed_up'] as never;
    expect(() => createEvent(userSignedUp, { ...envelope, aggregateId: 'x'.repeat(41), payload })).toThrow(InvalidEventError);
    expect(() => createEvent(userSignedUp, { ...envelope, aggregateType: '', payload })).toThrow(InvalidEventError);
    expect(() => createEvent(userSignedUp, { ...envelope, occurredAt: 'yesterday', payload })).toThrow(InvalidEventError);
  });

  test('outboxRow gives the outbox_events columns', () => {
    const event = createEvent(paymentCompleted, { ...envelope, occurredAt: at, payload: samples['payment.completed'] as never });
    expect(outboxRow(event)).toEqual({
      id: event.id,
      aggregateType: 'payment',
      aggregateId: 'pay_1',
      type: 'payment.completed',
      version: 1,
      payload: samples['payment.completed'],
      occurredAt: new Date(at),
    });
  });
});

describe('parseEvent', () => {
  const sent = () => createEvent(paymentRefunded, { ...envelope, payload: samples['payment.refunded'] as never });

  test('accepts a catalogue event (object or JSON text) and narrows it by type', () => {
    const event = sent();
    for (const raw of [event, JSON.stringify(event)]) {
      const parsed = parseEvent(raw);
      expect(parsed).toEqual({ kind: 'known', event });
      if (parsed.kind !== 'known') throw new Error('expected a known event');
      expect(describe_(parsed.event)).toBe('refund of 250 (PARTIALLY_REFUNDED)');
    }
  });

  test('keeps reading an event whose payload gained fields it does not know', () => {
    const event = sent();
    const parsed = parseEvent({ ...event, payload: { ...event.payload, refundMethod: 'WALLET' } });
    expect(parsed.kind).toBe('known');
    expect(parsed.event.payload).not.toHaveProperty('refundMethod');
  });

  test('reports a type or version it does not know as unknown, for the consumer to skip', () => {
    const event = sent();
    expect(parseEvent({ ...event, type: 'payment.disputed' })).toMatchObject({ kind: 'unknown', event: { type: 'payment.disputed' } });
    expect(parseEvent({ ...event, version: 9 })).toMatchObject({ kind: 'unknown', event: { version: 9, id: event.id } });
  });

  test('throws InvalidEventError for a malformed envelope or a known event with a bad payload', () => {
    const event = sent();
    expect(() => parseEvent('{oops')).toThrow(InvalidEventError);
    expect(() => parseEvent({ ...event, id: 'abc' })).toThrow(InvalidEventError);
    expect(() => parseEvent({ ...event, source: 'mars' })).toThrow(InvalidEventError);
    expect(() => parseEvent({ ...event, occurredAt: 'now' })).toThrow(InvalidEventError);
    expect(() => parseEvent({ ...event, payload: { ...event.payload, paymentStatus: 'COMPLETED' } })).toThrow(/paymentStatus/);
  });

  test('isEvent tells a definition apart by type and version', () => {
    const event: DomainEvent = sent();
    expect(isEvent(event, paymentRefunded)).toBe(true);
    expect(isEvent(event, paymentCompleted)).toBe(false);
    if (isEvent(event, paymentRefunded)) expect(event.payload.refundedTotalMinor).toBe('250');
  });
});

/** Compiles only if `switch (event.type)` narrows the payload. */
function describe_(event: KnownEvent): string {
  switch (event.type) {
    case 'payment.refunded':
      return `refund of ${event.payload.amountMinor} (${event.payload.paymentStatus})`;
    case 'transfer.completed':
      return `${event.payload.senderDisplayName} → ${event.payload.recipientDisplayName}`;
    default:
      return event.type;
  }
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
