/**
 * The notification subgraph against real MariaDB and Redis, under names no
 * other run uses (removed afterwards): a migrated database of its own, the
 * in-process server over HTTP with signed identities, the consumer fed
 * through an InMemoryBus, and a Redis subscriber on the live-update channels.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  createEvent,
  friendshipEstablished,
  InMemoryBus,
  paymentCompleted,
  paymentRefunded,
  payoutAccountChanged,
  payoutFailed,
  payoutPaid,
  statementReady,
  transferCompleted,
  walletToppedUp,
  type DomainEvent,
} from '@harbour/events';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { MYSQL_URL, REDIS_URL, uniqueRunId } from '@harbour/testing';
import { migrate } from '@harbour/prisma';
import { createNotificationStore, type NotificationStore } from '@harbour/prisma/notification';
import { newId, type RunningServer } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildNotificationSubgraph } from '../../build';
import { startNotificationConsumer } from '../../consumer';

export { MYSQL_URL, REDIS_URL, uniqueRunId } from '@harbour/testing';

/** Quiet unless TEST_LOG_LEVEL asks. */
export const testLogger = createLogger('notification-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** Redelivery soon after a failure, so that tests do not wait 30 s. */
export const FAST_SUBSCRIBE = { minIdleMs: 200, blockMs: 100, drainTimeoutMs: 5_000 };


export interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  };
}

export const errorCodes = (answer: GraphQLAnswer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

export interface LiveMessage {
  channel: string;
  message: { notificationId: string; userId: string };
}

export interface Harness {
  store: NotificationStore;
  bus: InMemoryBus;
  redisKeyPrefix: string;
  /** Every message published on `<prefix>notification-added:*` since the start. */
  live: LiveMessage[];
  /** Runs an operation as `identity` (a user id is a signed-in user; null is anonymous). */
  graphql(as: string | Identity | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer>;
  /** Publishes the events and waits until the consumer has handled them (duplicates included). */
  feed(...events: DomainEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const runId = uniqueRunId();
  const database = `hbt_${runId}_notification`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  await migrate('notification', url.toString(), { logger: { info: () => undefined, warn: () => undefined } });
  const store = createNotificationStore(url.toString());
  const redisKeyPrefix = `hbt:${runId}:`;

  const secret = new TextEncoder().encode(randomBytes(48).toString('base64url'));
  const server: RunningServer = buildNotificationSubgraph({ store, identitySecret: secret, logger: testLogger });
  await server.start(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}/graphql`;

  const publisher = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2_000 });
  const subscriber = new Redis(REDIS_URL);
  const live: LiveMessage[] = [];
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => live.push({ channel, message: JSON.parse(message) }));
  await subscriber.psubscribe(`${redisKeyPrefix}notification-added:*`);
  // Without an offline queue a command fails until the connection is up: wait for it.
  if (publisher.status !== 'ready') await new Promise((resolve) => publisher.once('ready', resolve));

  const bus = new InMemoryBus({ logger: testLogger });
  const consumer = startNotificationConsumer({ store, logger: testLogger, publisher, redisKeyPrefix, bus, subscribe: FAST_SUBSCRIBE });

  return {
    store,
    bus,
    redisKeyPrefix,
    live,
    async graphql(as, query, variables = {}, headers = {}) {
      const identity: Identity = as === null ? { kind: 'anonymous' } : typeof as === 'string' ? { kind: 'user', userId: as, sessionId: 'ses_test' } : as;
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signIdentity(identity, secret, 'gateway'), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLAnswer['body'] };
    },
    async feed(...events) {
      // The group's events are handled one at a time, in order: once a marker published last is applied, so is everything before it.
      const marker = walletTopUp(`usr_marker${runId}`, '1');
      await bus.publish([...events, marker]);
      await eventually(async () => (await store.processedEvent.count({ where: { eventId: marker.id } })) === 1, `event ${marker.id} to be applied`);
    },
    async close() {
      await consumer.stop();
      await bus.close();
      await server.stop();
      await subscriber.quit();
      publisher.disconnect();
      await store.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${database}\``);
      await store.$disconnect();
    },
  };
}

export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const userId = () => newId('user');

export function paymentEvent(input: { payer: string; merchant: string; amountMinor: string; payerDisplayName?: string; businessName?: string }) {
  const paymentId = newId('payment');
  return createEvent(paymentCompleted, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: {
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId: 'biz_01JD000000000000000000LUCK',
      businessName: input.businessName ?? 'Lucky Noodles',
      payerUserId: input.payer,
      payerDisplayName: input.payerDisplayName ?? 'Chan Siu Ming',
      merchantUserId: input.merchant,
      amountMinor: input.amountMinor,
      currency: 'HKD',
      reference: null,
      completedAt: new Date().toISOString(),
    },
  });
}

export function refundEvent(input: { payer: string; refundedBy: string; amountMinor: string }) {
  const paymentId = newId('payment');
  return createEvent(paymentRefunded, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: {
      refundId: newId('refund'),
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId: 'biz_01JD000000000000000000LUCK',
      businessName: 'Lucky Noodles',
      payerUserId: input.payer,
      refundedByUserId: input.refundedBy,
      amountMinor: input.amountMinor,
      refundedTotalMinor: input.amountMinor,
      paymentAmountMinor: '8850',
      paymentStatus: 'PARTIALLY_REFUNDED',
      currency: 'HKD',
      reason: 'Cold noodles',
      createdAt: new Date().toISOString(),
    },
  });
}

export function transferEvent(input: { sender: string; recipient: string; amountMinor: string; message?: string | null }) {
  const transferId = newId('transfer');
  return createEvent(transferCompleted, {
    source: 'payment',
    aggregateType: 'transfer',
    aggregateId: transferId,
    payload: {
      transferId,
      senderUserId: input.sender,
      senderDisplayName: 'Chan Siu Ming',
      recipientUserId: input.recipient,
      recipientDisplayName: 'Wong Ka Yan',
      amountMinor: input.amountMinor,
      currency: 'HKD',
      message: input.message ?? null,
      createdAt: new Date().toISOString(),
    },
  });
}

export function walletTopUp(user: string, amountMinor: string, balanceMinor = amountMinor, occurredAt = new Date()) {
  const accountId = newId('account');
  return createEvent(walletToppedUp, {
    source: 'payment',
    aggregateType: 'account',
    aggregateId: accountId,
    occurredAt,
    payload: { topUpId: newId('journalEntry'), userId: user, accountId, amountMinor, currency: 'HKD', balanceMinor, toppedUpAt: occurredAt.toISOString() },
  });
}

export function friendshipEvent(requester: string, accepter: string) {
  const friendshipId = `frn_${randomBytes(8).toString('hex')}`;
  return createEvent(friendshipEstablished, {
    source: 'social',
    aggregateType: 'friendship',
    aggregateId: friendshipId,
    payload: {
      friendshipId,
      requesterUserId: requester,
      requesterDisplayName: 'Chan Siu Ming',
      accepterUserId: accepter,
      accepterDisplayName: 'Wong Ka Yan',
      establishedAt: new Date().toISOString(),
    },
  });
}

const DESTINATION = { bankCode: '004', bankName: 'HSBC', accountNumberLast4: '1234' };

export function payoutAccountEvent(input: { owners: string[]; changedBy?: string; holdUntil?: Date }) {
  const businessId = newId('business');
  const changedAt = new Date();
  return createEvent(payoutAccountChanged, {
    source: 'payment',
    aggregateType: 'business',
    aggregateId: businessId,
    occurredAt: changedAt,
    payload: {
      businessId,
      businessName: 'Lucky Noodles',
      changedByUserId: input.changedBy ?? input.owners[0]!,
      ownerUserIds: input.owners,
      destination: DESTINATION,
      holdUntil: (input.holdUntil ?? new Date(changedAt.getTime() + 24 * 3_600_000)).toISOString(),
      changedAt: changedAt.toISOString(),
    },
  });
}

export function payoutEvent(outcome: 'paid' | 'failed', input: { owners: string[]; amountMinor: string; failureCode?: string }) {
  const payoutId = `pyt_${randomBytes(8).toString('hex')}`;
  const common = {
    payoutId,
    businessId: newId('business'),
    businessName: 'Lucky Noodles',
    ownerUserIds: input.owners,
    amountMinor: input.amountMinor,
    currency: 'HKD',
    trigger: 'AUTOMATIC' as const,
    destination: DESTINATION,
  };
  const envelope = { source: 'payment' as const, aggregateType: 'payout', aggregateId: payoutId };
  return outcome === 'paid'
    ? createEvent(payoutPaid, { ...envelope, payload: { ...common, paidAt: new Date().toISOString() } })
    : createEvent(payoutFailed, { ...envelope, payload: { ...common, failureCode: input.failureCode ?? 'ACCOUNT_CLOSED', failedAt: new Date().toISOString() } });
}

export function statementEvent(input: { requestedBy: string; format?: 'CSV' | 'PDF'; from?: Date; to?: Date; rowCount?: number }) {
  const statementId = newId('statement');
  const readyAt = new Date();
  return createEvent(statementReady, {
    source: 'payment',
    aggregateType: 'statement',
    aggregateId: statementId,
    occurredAt: readyAt,
    payload: {
      statementId,
      businessId: newId('business'),
      businessName: 'Lucky Noodles',
      requestedByUserId: input.requestedBy,
      format: input.format ?? 'CSV',
      from: (input.from ?? new Date('2026-10-31T16:00:00.000Z')).toISOString(),
      to: (input.to ?? new Date('2026-11-30T16:00:00.000Z')).toISOString(),
      rowCount: input.rowCount ?? 1234,
      readyAt: readyAt.toISOString(),
    },
  });
}
