/**
 * Events in, notifications out: each side of each event is notified once,
 * stored as a kind plus parameters, and announced on Redis for live updates.
 */
import { InMemoryBus, paymentRequestCreated, createEvent } from '@harbour/events';
import { Redis } from 'ioredis';
import { startNotificationConsumer } from '../consumer';
import { notificationsFor } from '../domain/from-event';
import {
  eventually,
  FAST_SUBSCRIBE,
  friendshipEvent,
  paymentEvent,
  payoutAccountEvent,
  payoutEvent,
  refundEvent,
  startHarness,
  statementEvent,
  testLogger,
  transferEvent,
  userId,
  walletTopUp,
  type Harness,
} from './support/harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const NOTIFICATION_ID = /^ntf_[0-9A-HJKMNP-TV-Z]{26}$/;

async function rowsOf(user: string) {
  return harness.store.notification.findMany({ where: { userId: user }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

test('a payment notifies the payer (PAYMENT_SENT) and the merchant (PAYMENT_RECEIVED) once, however often it is delivered', async () => {
  const [payer, merchant] = [userId(), userId()];
  const event = paymentEvent({ payer, merchant, amountMinor: '8850' });
  await harness.feed(event, event);
  await harness.feed(event);

  const [sent] = await rowsOf(payer);
  const [received] = await rowsOf(merchant);
  expect(await harness.store.notification.count({ where: { sourceEventId: event.id } })).toBe(2);
  expect(sent).toMatchObject({
    kind: 'PAYMENT_SENT',
    sourceEventId: event.id,
    readAt: null,
    params: { paymentId: event.payload.paymentId, businessId: event.payload.businessId, businessName: 'Lucky Noodles', amountMinor: '8850', currency: 'HKD', reference: null },
  });
  expect(received).toMatchObject({
    kind: 'PAYMENT_RECEIVED',
    sourceEventId: event.id,
    params: { businessId: event.payload.businessId, businessName: 'Lucky Noodles', payerUserId: payer, payerDisplayName: 'Chan Siu Ming', amountMinor: '8850', currency: 'HKD' },
  });
  expect(sent!.id).toMatch(NOTIFICATION_ID);
  expect(received!.id).toMatch(NOTIFICATION_ID);
  // Stored as a kind plus parameters: no text.
  expect(JSON.stringify([sent!.params, received!.params])).not.toMatch(/paid|付款/);

  // Each committed notification is published once on its owner's channel.
  const channelOf = (user: string) => `${harness.redisKeyPrefix}notification-added:${user}`;
  await eventually(() => harness.live.filter((m) => m.channel === channelOf(payer) || m.channel === channelOf(merchant)).length >= 2, 'the live updates');
  await harness.feed(); // anything late would have arrived with the marker's
  expect(harness.live.filter((m) => m.channel === channelOf(payer)).map((m) => m.message)).toEqual([{ id: sent!.id, notificationId: sent!.id, userId: payer }]);
  expect(harness.live.filter((m) => m.channel === channelOf(merchant)).map((m) => m.message)).toEqual([{ id: received!.id, notificationId: received!.id, userId: merchant }]);
});

test('refunds, transfers, top-ups and friendships notify each side with its own kind', async () => {
  const [payer, owner, sender, recipient, friendA, friendB] = Array.from({ length: 6 }, userId);
  const refund = refundEvent({ payer, refundedBy: owner, amountMinor: '2000' });
  const transfer = transferEvent({ sender, recipient, amountMinor: '10000', message: 'Dinner' });
  const topUp = walletTopUp(sender, '50000', '60000');
  const friendship = friendshipEvent(friendA, friendB);
  await harness.feed(refund, transfer, topUp, friendship, friendship);

  const kinds = async (user: string) => (await rowsOf(user)).map((row) => [row.kind, row.sourceEventId]);
  expect(await kinds(payer)).toEqual([['REFUND_RECEIVED', refund.id]]);
  expect(await kinds(owner)).toEqual([['REFUND_SENT', refund.id]]);
  expect(await kinds(recipient)).toEqual([['TRANSFER_RECEIVED', transfer.id]]);
  expect(new Set(await kinds(sender))).toEqual(new Set([['TRANSFER_SENT', transfer.id], ['WALLET_TOPPED_UP', topUp.id]]));
  expect(await kinds(friendA)).toEqual([['FRIEND_ADDED', friendship.id]]);
  expect(await kinds(friendB)).toEqual([['FRIEND_ADDED', friendship.id]]);

  expect((await rowsOf(owner))[0]!.params).toMatchObject({ refundId: refund.payload.refundId, businessName: 'Lucky Noodles', payerUserId: payer, amountMinor: '2000', reason: 'Cold noodles' });
  expect((await rowsOf(recipient))[0]!.params).toMatchObject({ senderUserId: sender, senderDisplayName: 'Chan Siu Ming', amountMinor: '10000', message: 'Dinner' });
  expect((await rowsOf(friendA))[0]!.params).toEqual({ friendshipId: friendship.payload.friendshipId, friendUserId: friendB, friendDisplayName: 'Wong Ka Yan' });
  expect((await rowsOf(friendB))[0]!.params).toEqual({ friendshipId: friendship.payload.friendshipId, friendUserId: friendA, friendDisplayName: 'Chan Siu Ming' });
});

test('a payout-account change and a paid and a failed payout notify every OWNER the event names, each once however often it is delivered', async () => {
  const [ownerA, ownerB, ownerC] = [userId(), userId(), userId()];
  // An owner named twice is still told once.
  const changed = payoutAccountEvent({ owners: [ownerA, ownerB, ownerA], changedBy: ownerA });
  expect(notificationsFor(changed).map((draft) => [draft.userId, draft.kind])).toEqual([[ownerA, 'PAYOUT_ACCOUNT_CHANGED'], [ownerB, 'PAYOUT_ACCOUNT_CHANGED']]);
  const paid = payoutEvent('paid', { owners: [ownerA, ownerB, ownerC], amountMinor: '123450' });
  const failed = payoutEvent('failed', { owners: [ownerB, ownerC], amountMinor: '5000', failureCode: 'ACCOUNT_CLOSED' });
  await harness.feed(changed, paid, failed, changed, paid, failed);
  await harness.feed(failed, paid, changed);

  const kinds = async (user: string) => (await rowsOf(user)).map((row) => [row.kind, row.sourceEventId]).sort();
  expect(await kinds(ownerA)).toEqual([['PAYOUT_ACCOUNT_CHANGED', changed.id], ['PAYOUT_PAID', paid.id]].sort());
  expect(await kinds(ownerB)).toEqual([['PAYOUT_ACCOUNT_CHANGED', changed.id], ['PAYOUT_FAILED', failed.id], ['PAYOUT_PAID', paid.id]].sort());
  expect(await kinds(ownerC)).toEqual([['PAYOUT_FAILED', failed.id], ['PAYOUT_PAID', paid.id]].sort());
  const count = (event: { id: string }) => harness.store.notification.count({ where: { sourceEventId: event.id } });
  expect([await count(changed), await count(paid), await count(failed)]).toEqual([2, 3, 2]);

  // The parameters: the bank and the last four digits of the account, never more.
  const destination = { bankCode: '004', bankName: 'HSBC', accountNumberLast4: '1234' };
  const ofKind = async (user: string, kind: string) => (await rowsOf(user)).find((row) => row.kind === kind)!.params;
  expect(await ofKind(ownerB, 'PAYOUT_ACCOUNT_CHANGED')).toEqual({
    businessId: changed.payload.businessId,
    businessName: 'Lucky Noodles',
    changedByUserId: ownerA,
    ...destination,
    holdUntil: changed.payload.holdUntil,
  });
  const payoutParams = { businessId: paid.payload.businessId, businessName: 'Lucky Noodles', currency: 'HKD', trigger: 'AUTOMATIC', ...destination };
  expect(await ofKind(ownerC, 'PAYOUT_PAID')).toEqual({ ...payoutParams, payoutId: paid.payload.payoutId, amountMinor: '123450' });
  expect(await ofKind(ownerC, 'PAYOUT_FAILED')).toEqual({ ...payoutParams, businessId: failed.payload.businessId, payoutId: failed.payload.payoutId, amountMinor: '5000', failureCode: 'ACCOUNT_CLOSED' });

  // Delivered again after its processed_events row is gone: the unique (user, event) still makes nothing new.
  await harness.store.processedEvent.deleteMany({ where: { eventId: { in: [changed.id, paid.id, failed.id] } } });
  await harness.feed(changed, paid, failed);
  expect(await harness.store.processedEvent.count({ where: { eventId: { in: [changed.id, paid.id, failed.id] } } })).toBe(3);
  expect([await count(changed), await count(paid), await count(failed)]).toEqual([2, 3, 2]);

  // One live update per notification made, on its owner's channel.
  const channelOf = (user: string) => `${harness.redisKeyPrefix}notification-added:${user}`;
  const liveOf = (user: string) => harness.live.filter((m) => m.channel === channelOf(user)).map((m) => m.message.notificationId).sort();
  await eventually(() => liveOf(ownerA).length + liveOf(ownerB).length + liveOf(ownerC).length >= 7, 'the live updates');
  await harness.feed();
  for (const owner of [ownerA, ownerB, ownerC]) expect(liveOf(owner)).toEqual((await rowsOf(owner)).map((row) => row.id).sort());
});

test('a ready statement notifies the member who asked (STATEMENT_READY) once, however often it is delivered', async () => {
  const [asker, other] = [userId(), userId()];
  const ready = statementEvent({ requestedBy: asker, rowCount: 1234 });
  expect(notificationsFor(ready).map((draft) => [draft.userId, draft.kind])).toEqual([[asker, 'STATEMENT_READY']]);
  await harness.feed(ready, ready);
  await harness.feed(ready);

  const rows = await rowsOf(asker);
  expect(rows.map((row) => [row.kind, row.sourceEventId])).toEqual([['STATEMENT_READY', ready.id]]);
  expect(rows[0]!.params).toEqual({
    statementId: ready.payload.statementId,
    businessId: ready.payload.businessId,
    businessName: 'Lucky Noodles',
    format: 'CSV',
    from: ready.payload.from,
    to: ready.payload.to,
    rowCount: 1234,
  });
  expect(await rowsOf(other)).toEqual([]);
  expect(await harness.store.notification.count({ where: { sourceEventId: ready.id } })).toBe(1);

  const channelOf = (user: string) => `${harness.redisKeyPrefix}notification-added:${user}`;
  await eventually(() => harness.live.some((m) => m.channel === channelOf(asker)), 'the live update');
  await harness.feed();
  expect(harness.live.filter((m) => m.channel === channelOf(asker)).map((m) => m.message.notificationId)).toEqual([rows[0]!.id]);
});

test('a notification is dated when its event happened, so one delivered late sorts where it belongs', async () => {
  const user = userId();
  const hourAgo = new Date(Date.now() - 3_600_000);
  const recent = walletTopUp(user, '200');
  const late = walletTopUp(user, '100', '100', hourAgo);
  await harness.feed(recent, late);
  const rows = await harness.store.notification.findMany({ where: { userId: user }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  expect(rows.map((row) => [row.sourceEventId, row.createdAt.toISOString()])).toEqual([
    [recent.id, recent.occurredAt],
    [late.id, hourAgo.toISOString()],
  ]);
});

test('events no one is notified of are applied (recorded) and make nothing', async () => {
  const merchant = userId();
  const created = createEvent(paymentRequestCreated, {
    source: 'payment',
    aggregateType: 'payment_request',
    aggregateId: 'prq_1',
    payload: {
      paymentRequestId: 'prq_1',
      businessId: 'biz_1',
      businessName: 'Lucky Noodles',
      businessCity: 'Hong Kong',
      merchantCategoryCode: null,
      createdByUserId: merchant,
      amountMinor: '100',
      currency: 'HKD',
      reference: null,
      expiresAt: new Date(Date.now() + 900_000).toISOString(),
      createdAt: new Date().toISOString(),
    },
  });
  await harness.feed(created);
  expect(await harness.store.processedEvent.count({ where: { eventId: created.id } })).toBe(1);
  expect(await rowsOf(merchant)).toEqual([]);
});

test('someone on both sides of one event is notified once (the unique user and event)', async () => {
  const owner = userId();
  const refund = refundEvent({ payer: owner, refundedBy: owner, amountMinor: '100' });
  await harness.feed(refund);
  expect((await rowsOf(owner)).map((row) => row.kind)).toEqual(['REFUND_RECEIVED']);
});

test('with Redis down, notifications are still made and the consumer goes on (live updates are lost and logged)', async () => {
  // Nothing listens on port 1: every publish fails at once.
  const unreachable = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  unreachable.on('error', () => undefined);
  await new Promise((resolve) => unreachable.once('end', resolve));
  const bus = new InMemoryBus({ logger: testLogger });
  const warn = jest.spyOn(testLogger, 'warn');
  const consumer = startNotificationConsumer({ store: harness.store, logger: testLogger, publisher: unreachable, redisKeyPrefix: harness.redisKeyPrefix, bus, subscribe: FAST_SUBSCRIBE });
  try {
    const [payer, merchant, other] = [userId(), userId(), userId()];
    const first = paymentEvent({ payer, merchant, amountMinor: '1000' });
    const second = walletTopUp(other, '500');
    await bus.publish([first, second]);
    // A payment.completed is recorded by its payment's id (factOf).
    await eventually(async () => (await harness.store.processedEvent.count({ where: { eventId: { in: [first.payload.paymentId, second.id] } } })) === 2, 'both events to be applied');
    expect(await harness.store.notification.count({ where: { sourceEventId: { in: [first.id, second.id] } } })).toBe(3);
    expect(await bus.deadLetters()).toEqual([]);
    expect(warn.mock.calls.filter(([, message]) => typeof message === 'string' && message.startsWith('could not publish notification-added'))).toHaveLength(3);
  } finally {
    warn.mockRestore();
    await consumer.stop();
    await bus.close();
    // Already ended (no retries); disconnecting it now would only leave ioredis's 2 s destroy timer behind.
    if (unreachable.status !== 'end') unreachable.disconnect();
  }
});
