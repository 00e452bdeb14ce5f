/**
 * The timeline consumer on a real MariaDB: events go through an InMemoryBus
 * (the Redis driver's semantics) into startTimelineConsumer, as in main.ts.
 */
import { createEvent, InMemoryBus, newEventId, paymentRequestCreated, type DomainEvent, type RunningConsumer } from '@harbour/events';
import { createLogger } from '@harbour/logger';
import { newId } from '@harbour/server';
import { startTimelineConsumer, TIMELINE_CONSUMER_GROUP } from '../entries/consumer';
import {
  friendshipEstablishedEvent,
  newUserId,
  paymentCompletedEvent,
  paymentCompletedV2Companion,
  paymentRefundedEvent,
  transferCompletedEvent,
  walletToppedUpEvent,
} from './support/events';
import { createTestStore, eventually, type TestStore } from './support/resources';

const logger = createLogger('timeline-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let db: TestStore;
let bus: InMemoryBus;
let consumer: RunningConsumer;

beforeAll(async () => {
  db = await createTestStore();
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  bus = new InMemoryBus({ logger });
  consumer = startTimelineConsumer({ store: db.store, logger, bus });
});

afterEach(async () => {
  await consumer.stop();
  await bus.close();
});

const isProcessed = async (eventId: string) => (await db.store.processedEvent.count({ where: { consumer: TIMELINE_CONSUMER_GROUP, eventId } })) === 1;

/** Publishes `events`, then a marker event, and waits until the marker is applied: the bus delivers in order, so all before it are done. */
async function publishAndSettle(...events: DomainEvent[]): Promise<void> {
  const marker = walletToppedUpEvent({ user: newUserId(), at: new Date().toISOString() });
  await bus.publish([...events, marker]);
  await eventually(() => isProcessed(marker.id), `event ${marker.id} to be applied`);
  expect(await bus.deadLetters()).toEqual([]);
}

const entriesOf = (sourceEventId: string) =>
  db.store.timelineEntry.findMany({ where: { sourceEventId }, orderBy: { kind: 'asc' }, select: { id: true, userId: true, kind: true, params: true, occurredAt: true } });

describe('the timeline consumer', () => {
  it('puts an entry on each side of every event, with the parameters to render it and the time it happened', async () => {
    const [payer, merchant, friend] = [newUserId(), newUserId(), newUserId()];
    const at = (minute: number) => `2026-11-20T08:${String(minute).padStart(2, '0')}:00.123Z`;
    const paid = paymentCompletedEvent({ payer, merchant, at: at(1) });
    const refunded = paymentRefundedEvent({ payer, refundedBy: merchant, at: at(2) });
    const sent = transferCompletedEvent({ sender: payer, recipient: friend, at: at(3) });
    const toppedUp = walletToppedUpEvent({ user: payer, at: at(4) });
    const befriended = friendshipEstablishedEvent({ requester: payer, accepter: friend, at: at(5) });
    await publishAndSettle(paid, refunded, sent, toppedUp, befriended);

    const id = expect.stringMatching(/^tle_[0-9A-HJKMNP-TV-Z]{26}$/);
    const p = paid.payload;
    expect(await entriesOf(paid.id)).toEqual([
      {
        id,
        userId: merchant,
        kind: 'PAYMENT_RECEIVED',
        occurredAt: new Date(at(1)),
        params: {
          paymentId: p.paymentId,
          paymentRequestId: p.paymentRequestId,
          businessId: p.businessId,
          businessName: 'Lucky Noodles',
          payerUserId: payer,
          payerName: 'Chan Siu Ming',
          amountMinor: '8850',
          currency: 'HKD',
          reference: 'T12',
        },
      },
      {
        id,
        userId: payer,
        kind: 'PAYMENT_SENT',
        occurredAt: new Date(at(1)),
        params: { paymentId: p.paymentId, paymentRequestId: p.paymentRequestId, businessId: p.businessId, businessName: 'Lucky Noodles', amountMinor: '8850', currency: 'HKD', reference: 'T12' },
      },
    ]);
    const r = refunded.payload;
    const refundParams = { refundId: r.refundId, paymentId: r.paymentId, businessId: r.businessId, businessName: 'Lucky Noodles', amountMinor: '850', currency: 'HKD' };
    expect(await entriesOf(refunded.id)).toEqual([
      { id, userId: payer, kind: 'REFUND_RECEIVED', occurredAt: new Date(at(2)), params: refundParams },
      { id, userId: merchant, kind: 'REFUND_SENT', occurredAt: new Date(at(2)), params: { ...refundParams, payerUserId: payer } },
    ]);
    const t = sent.payload;
    const transferParams = { transferId: t.transferId, amountMinor: '2000', currency: 'HKD', message: 'lunch' };
    expect(await entriesOf(sent.id)).toEqual([
      { id, userId: friend, kind: 'TRANSFER_RECEIVED', occurredAt: new Date(at(3)), params: { ...transferParams, counterpartyUserId: payer, counterpartyName: 'Chan Siu Ming' } },
      { id, userId: payer, kind: 'TRANSFER_SENT', occurredAt: new Date(at(3)), params: { ...transferParams, counterpartyUserId: friend, counterpartyName: '李嘉欣' } },
    ]);
    expect(await entriesOf(toppedUp.id)).toEqual([
      {
        id,
        userId: payer,
        kind: 'WALLET_TOPPED_UP',
        occurredAt: new Date(at(4)),
        params: { topUpId: toppedUp.payload.topUpId, accountId: toppedUp.payload.accountId, amountMinor: '20000', currency: 'HKD' },
      },
    ]);
    const friendshipId = befriended.payload.friendshipId;
    expect((await entriesOf(befriended.id)).sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      [
        { id, userId: payer, kind: 'FRIEND_ADDED', occurredAt: new Date(at(5)), params: { friendshipId, friendUserId: friend, friendName: 'Ben' } },
        { id, userId: friend, kind: 'FRIEND_ADDED', occurredAt: new Date(at(5)), params: { friendshipId, friendUserId: payer, friendName: 'Amy' } },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
  });

  it('applies an event delivered twice once: one entry per side', async () => {
    const [payer, merchant] = [newUserId(), newUserId()];
    const paid = paymentCompletedEvent({ payer, merchant, at: '2026-11-20T09:00:00.000Z' });
    await publishAndSettle(paid, paid);
    await publishAndSettle(paid);

    expect((await entriesOf(paid.id)).map((entry) => [entry.userId, entry.kind])).toEqual([
      [merchant, 'PAYMENT_RECEIVED'],
      [payer, 'PAYMENT_SENT'],
    ]);
    // Recorded by the payment's id: both versions of its payment.completed are one fact (factOf).
    expect(await db.store.processedEvent.count({ where: { eventId: paid.payload.paymentId } })).toBe(1);
  });

  it('in a rolling deploy, a payment an older consumer applied by its version 1 id is not applied again, by either version', async () => {
    const [payer, merchant] = [newUserId(), newUserId()];
    const paid = paymentCompletedEvent({ payer, merchant, at: '2026-11-20T09:30:00.000Z' });
    const companion = paymentCompletedV2Companion(paid);
    // What a consumer built before factOf did: its entries and the version 1's own id, in one transaction.
    await db.store.$transaction([
      db.store.processedEvent.create({ data: { consumer: TIMELINE_CONSUMER_GROUP, eventId: paid.id, processedAt: new Date() } }),
      db.store.timelineEntry.create({ data: { id: newId('timelineEntry'), userId: payer, kind: 'PAYMENT_SENT', params: {}, sourceEventId: paid.id, occurredAt: new Date(paid.occurredAt) } }),
    ]);
    await publishAndSettle(companion, paid);
    expect(await entriesOf(companion.id)).toEqual([]);
    expect((await entriesOf(paid.id)).map((entry) => entry.kind)).toEqual(['PAYMENT_SENT']);

    // The other way round: this consumer applies the version 2 first and records the version 1's id too, where an
    // older consumer handed the version 1 looks for it.
    const later = paymentCompletedEvent({ payer, merchant, at: '2026-11-20T09:31:00.000Z' });
    const laterV2 = paymentCompletedV2Companion(later);
    await publishAndSettle(laterV2);
    expect((await entriesOf(laterV2.id)).map((entry) => [entry.userId, entry.kind])).toEqual([
      [merchant, 'PAYMENT_RECEIVED'],
      [payer, 'PAYMENT_SENT'],
    ]);
    expect(await isProcessed(later.id)).toBe(true);
    await publishAndSettle(later);
    expect(await entriesOf(later.id)).toEqual([]);
  });

  it('applies an event once when two consumers of the group get it at the same time', async () => {
    const otherBus = new InMemoryBus({ logger });
    const otherConsumer = startTimelineConsumer({ store: db.store, logger, bus: otherBus });
    try {
      const [sender, recipient] = [newUserId(), newUserId()];
      const sent = transferCompletedEvent({ sender, recipient, at: '2026-11-20T10:00:00.000Z' });
      await Promise.all([publishAndSettle(sent), (async () => {
        const marker = walletToppedUpEvent({ user: newUserId(), at: new Date().toISOString() });
        await otherBus.publish([sent, marker]);
        await eventually(() => isProcessed(marker.id), 'the other consumer');
      })()]);
      expect((await entriesOf(sent.id)).map((entry) => [entry.userId, entry.kind])).toEqual([
        [recipient, 'TRANSFER_RECEIVED'],
        [sender, 'TRANSFER_SENT'],
      ]);
      expect(await otherBus.deadLetters()).toEqual([]);
    } finally {
      await otherConsumer.stop();
      await otherBus.close();
    }
  });

  it('gives a user on both sides of one event both entries', async () => {
    // A cashier who left the business pays a request they created: the event names them twice.
    const user = newUserId();
    const paid = paymentCompletedEvent({ payer: user, merchant: user, at: '2026-11-20T11:00:00.000Z' });
    await publishAndSettle(paid);
    expect((await entriesOf(paid.id)).map((entry) => [entry.userId, entry.kind])).toEqual([
      [user, 'PAYMENT_RECEIVED'],
      [user, 'PAYMENT_SENT'],
    ]);
  });

  it('acknowledges events it does not show, and types it does not know, without entries', async () => {
    const created = createEvent(paymentRequestCreated, {
      source: 'payment',
      aggregateType: 'payment_request',
      aggregateId: newId('paymentRequest'),
      payload: {
        paymentRequestId: newId('paymentRequest'),
        businessId: newId('business'),
        businessName: 'Lucky Noodles',
        businessCity: 'Hong Kong',
        merchantCategoryCode: null,
        createdByUserId: newUserId(),
        amountMinor: '100',
        currency: 'HKD',
        reference: null,
        expiresAt: '2026-11-20T12:15:00.000Z',
        createdAt: '2026-11-20T12:00:00.000Z',
      },
    });
    const fromTheFuture: DomainEvent = {
      id: newEventId(),
      type: 'payment.disputed',
      version: 1,
      source: 'payment',
      aggregateType: 'payment',
      aggregateId: newId('payment'),
      occurredAt: '2026-11-20T12:00:00.000Z',
      payload: { paymentId: newId('payment'), payerUserId: newUserId() },
    };
    await publishAndSettle(created, fromTheFuture);
    expect(await db.store.timelineEntry.count({ where: { sourceEventId: { in: [created.id, fromTheFuture.id] } } })).toBe(0);
    expect(await isProcessed(created.id)).toBe(true);
  });
});
