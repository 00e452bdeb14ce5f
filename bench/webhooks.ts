/**
 * `npm run bench:webhooks`: a burst of 1,000 payments' webhooks to one
 * healthy receiver while another business's receiver hangs (every attempt to
 * it runs into the 10 s timeout) — partners.md: "one slow receiver never
 * delays other businesses' deliveries; a burst of 1,000 payments is
 * delivered to a healthy receiver within seconds".
 *
 * Makes a notification database of its own (migrated), two local receivers
 * (http.createServer) and an endpoint for each of two businesses, then runs
 * the real worker process (`node --import tsx …/webhooks/worker/main.ts`,
 * default settings: 10 s timeouts, 4 in flight per endpoint, 32 per
 * process). The burst does not run real payments: it isolates the worker by
 * applying `payment.completed` events with the notification consumer's own
 * `applyEvent`, in its transaction (what the consumer does with each event
 * from the bus), 4 transactions at a time — N for the healthy business and
 * N/20 for the hanging one, interleaved. Latency is from the event's
 * transaction committing to the receiver reading the request.
 *
 * Prints the time to deliver all N, deliveries/s, p50/p99/max latency, and
 * the hanging receiver's requests; exits non-zero when a healthy delivery
 * is missing or took as long as the slow receiver's timeout (it was delayed
 * by it). --payments N (default 1,000); --keep leaves the database.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@harbour/config';
import { createEvent, paymentCompleted } from '@harbour/events';
import { createLogger } from '@harbour/logger';
import { migrate } from '@harbour/prisma';
import { createNotificationStore, type NotificationStore } from '@harbour/prisma/notification';
import { newId } from '@harbour/server';
import { dropDatabases, testDatabaseUrls, uniqueRunId } from '@harbour/testing';
import { applyEvent } from '../subgraphs/notification/src/domain/apply-event';
import { newWebhookId } from '../subgraphs/notification/src/webhooks/rules';
import { webhookSecretKeyring } from '../subgraphs/notification/src/webhooks/secret-crypto';
import { newWebhookSecret } from '../subgraphs/notification/src/webhooks/transport';

const { values: args } = parseArgs({ options: { payments: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } } });
const PAYMENTS = Number(args.payments);
const SLOW_PAYMENTS = Math.max(1, Math.round(PAYMENTS / 20));
const TIMEOUT_SECONDS = 10;
const logger = createLogger('bench-webhooks', 'silent');

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`)));
}

async function endpoint(store: NotificationStore, businessId: string, url: string): Promise<void> {
  const id = newWebhookId('endpoint');
  const now = new Date();
  // Sandbox's development key, as the worker process has it with WEBHOOK_SECRET_KEYS unset.
  const secret = webhookSecretKeyring({}, 'sandbox').encrypt(newWebhookSecret(), id);
  await store.webhookEndpoint.create({ data: { id, businessId, url, eventTypes: 'payment.completed', status: 'ENABLED', secret, createdByUserId: newId('user'), createdAt: now, updatedAt: now } });
}

function payment(businessId: string) {
  const paymentId = newId('payment');
  return createEvent(paymentCompleted, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: {
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId,
      businessName: 'Bench Noodles',
      payerUserId: newId('user'),
      payerDisplayName: 'Bench Payer',
      merchantUserId: newId('user'),
      amountMinor: '8850',
      currency: 'HKD',
      reference: null,
      completedAt: new Date().toISOString(),
    },
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<number> {
  const url = testDatabaseUrls(uniqueRunId()).notification;
  await migrate('notification', url, { logger: { info: () => undefined, warn: () => undefined } });
  const store = createNotificationStore(url, { connectionLimit: 6 });
  const committedAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  let slowRequests = 0;
  const healthy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const paymentId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { id: string } }).data.id;
      if (!receivedAt.has(paymentId)) receivedAt.set(paymentId, performance.now());
      response.writeHead(204).end();
    });
  });
  // Reads each request and never answers: every attempt waits out the worker's timeout.
  const hanging = createServer((request) => {
    slowRequests += 1;
    request.resume();
  });
  const [healthyUrl, hangingUrl] = [await listen(healthy), await listen(hanging)];
  const [fast, slow] = [newId('business'), newId('business')];
  await endpoint(store, fast, healthyUrl);
  await endpoint(store, slow, hangingUrl);

  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'subgraphs', 'notification', 'src', 'webhooks', 'worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, NOTIFICATION_DATABASE_URL: url, HARBOUR_MODE: 'sandbox', WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    // Let the worker start (tsx compiles it) before the burst, so its start-up is not counted.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const events = [...Array.from({ length: PAYMENTS }, () => payment(fast))];
    // The hanging business's payments go first and between the others: they are due before most healthy ones.
    for (let i = 0; i < SLOW_PAYMENTS; i += 1) events.splice(i * 20, 0, payment(slow));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < events.length) {
          const event = events[next++]!;
          await store.$transaction((tx) => applyEvent(event, tx, logger));
          if (event.payload.businessId === fast) committedAt.set(event.payload.paymentId, performance.now());
        }
      }),
    );
    const burstMs = performance.now() - started;
    const deadline = Date.now() + 60_000;
    while (receivedAt.size < PAYMENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const lastReceipt = Math.max(...receivedAt.values());
    const latencies = [...committedAt].map(([id, at]) => (receivedAt.get(id) ?? Infinity) - at).sort((a, b) => a - b);
    const deliveredMs = lastReceipt - started;
    const slowHeld = await store.webhookDelivery.count({ where: { businessId: slow, leaseUntil: { not: null } } });
    console.log('webhooks bench: payment.completed events applied with the consumer\'s applyEvent (not real payments), sent by the real worker process');
    console.log(`  burst: ${PAYMENTS} payments to a healthy receiver + ${SLOW_PAYMENTS} to one that hangs (${TIMEOUT_SECONDS} s timeouts), stored in ${(burstMs / 1000).toFixed(2)} s`);
    console.log(`  delivered ${receivedAt.size}/${PAYMENTS} in ${(deliveredMs / 1000).toFixed(2)} s from the first commit: ${((receivedAt.size / deliveredMs) * 1000).toFixed(0)} deliveries/s`);
    console.log(`  event committed → received: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`);
    console.log(`  hanging receiver: ${slowRequests} requests read, none answered; ${slowHeld} of its deliveries in flight at the end (at most its per-endpoint limit)`);
    const delayed = receivedAt.size < PAYMENTS || latencies.at(-1)! >= TIMEOUT_SECONDS * 1000;
    console.log(delayed ? '  FAILED: the healthy receiver was delayed (or missed deliveries)' : `  the slow receiver did not delay the healthy one (every healthy delivery under its ${TIMEOUT_SECONDS} s timeout)`);
    return delayed ? 1 : 0;
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    healthy.close();
    hanging.closeAllConnections();
    hanging.close();
    await store.$disconnect();
    if (args.keep) console.log(`  kept ${url}`);
    else await dropDatabases([url]).catch((error: unknown) => console.error('dropping the database:', error));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
