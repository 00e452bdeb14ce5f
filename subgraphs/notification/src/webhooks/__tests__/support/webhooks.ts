/**
 * Webhooks against real MariaDB: a migrated database of the run's own, local
 * HTTP receivers (http.createServer on port 0), endpoints and deliveries
 * stored the way the API and the consumer store them, and workers with short
 * settings.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { migrate } from '@harbour/prisma';
import { createNotificationStore, type NotificationStore } from '@harbour/prisma/notification';
import { eventually, MYSQL_URL, testLogger, uniqueRunId } from '../../../__tests__/support/harness';
import { storeWebhook } from '../../record-webhooks';
import { newWebhookId } from '../../rules';
import { webhookSecretKeyring } from '../../secret-crypto';
import { newWebhookSecret } from '../../transport';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../worker/delivery-worker';

export { eventually, testLogger } from '../../../__tests__/support/harness';

export const secrets = webhookSecretKeyring({}, 'sandbox');

export interface TestDatabase {
  store: NotificationStore;
  url: string;
  close(): Promise<void>;
}

export async function startDatabase(): Promise<TestDatabase> {
  const database = `hbt_${uniqueRunId()}_notification`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  await migrate('notification', url.toString(), { logger: { info: () => undefined, warn: () => undefined } });
  const store = createNotificationStore(url.toString(), { connectionLimit: 6 });
  return {
    store,
    url: url.toString(),
    async close() {
      await store.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${database}\``);
      await store.$disconnect();
    },
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A local receiver answering with `answer` (given the n-th request, from 1); it may leave the request hanging. */
export async function startReceiver(answer: (request: IncomingMessage, response: ServerResponse, n: number) => void = (_q, response) => response.writeHead(200).end('ok')): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      answer(request, response, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function makeEndpoint(store: NotificationStore, input: { url: string; businessId?: string; eventTypes?: string; createdAt?: Date }) {
  const id = newWebhookId('endpoint');
  const secret = newWebhookSecret();
  const at = input.createdAt ?? new Date();
  const endpoint = await store.webhookEndpoint.create({
    data: {
      id,
      businessId: input.businessId ?? `biz_${uniqueRunId().slice(0, 20)}`,
      url: input.url,
      eventTypes: input.eventTypes ?? 'payment.completed',
      status: 'ENABLED',
      secret: secrets.encrypt(secret, id),
      createdByUserId: 'usr_owner',
      createdAt: at,
      updatedAt: at,
    },
  });
  return { endpoint, secret };
}

/** A payment.completed webhook for the endpoint, stored as the consumer stores it; answers the delivery's id. */
export async function makeDelivery(store: NotificationStore, endpoint: { id: string; businessId: string }, dueAt = new Date()): Promise<string> {
  const draft = { type: 'payment.completed' as const, businessId: endpoint.businessId, data: { id: newWebhookId('event').replace('evt_', 'pay_'), status: 'COMPLETED', businessId: endpoint.businessId } };
  const [id] = await store.$transaction((tx) => storeWebhook(tx, draft, [endpoint.id], { sourceEventId: null, createdAt: dueAt, dueAt }));
  return id!;
}

export type TestWorkerOptions = Partial<DeliveryWorkerOptions> & { store: NotificationStore };

/** A worker with test settings: 1 s timeouts, 100 ms then 200 ms retries, no jitter, polling every 20 ms. */
export function testWorker(options: TestWorkerOptions): DeliveryWorker {
  return new DeliveryWorker({
    secrets,
    logger: testLogger,
    policy: 'any',
    timeoutMs: 1_000,
    leaseMs: 3_000,
    retrySchedule: [100, 200],
    endpointConcurrency: 2,
    concurrency: 8,
    pollMs: 20,
    random: () => 0.5,
    ...options,
  });
}

/** Runs the worker until `done` holds (or fails after the timeout), then stops it. */
export async function runUntil(worker: DeliveryWorker, done: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const running = worker.run();
  try {
    await eventually(done, what, timeoutMs);
  } finally {
    worker.stop();
    await running;
  }
}
