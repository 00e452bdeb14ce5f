/**
 * A worker process killed mid-attempt loses nothing: main.ts runs as a real
 * child process, is SIGKILLed while its second attempt (a retry) is in
 * flight, and the delivery completes once a new worker takes it over after
 * the dead one's lease runs out (same webhook-id every time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { eventually, makeDelivery, makeEndpoint, startDatabase, startReceiver, type Receiver, type TestDatabase } from './support/webhooks';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'subgraphs', 'notification', 'src', 'webhooks', 'worker', 'main.ts');

let db: TestDatabase;
let target: Receiver;
const children: ChildProcess[] = [];
const hung: ServerResponse[] = [];

beforeAll(async () => {
  db = await startDatabase();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const response of hung) response.destroy();
  await target?.close();
  await db?.close();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NOTIFICATION_DATABASE_URL: db.url,
      HARBOUR_MODE: 'sandbox',
      WEBHOOK_RETRY_SCHEDULE: '100ms,200ms',
      WEBHOOK_TIMEOUT_SECONDS: '5',
      WEBHOOK_LEASE_SECONDS: '6',
      WEBHOOK_WORKER_POLL_MS: '50',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

test('SIGKILL during a retry: after restart the lease runs out and the delivery succeeds; nothing lost', async () => {
  // 1st attempt: 503 (a retry is scheduled); 2nd: hangs until the worker is killed; 3rd: 200.
  target = await startReceiver((_request, response, n) => {
    if (n === 1) response.writeHead(503).end();
    else if (n === 2) hung.push(response);
    else response.writeHead(200).end('ok');
  });
  const { endpoint } = await makeEndpoint(db.store, { url: target.url });
  const deliveryId = await makeDelivery(db.store, endpoint);

  const first = startWorker();
  await eventually(() => target.received.length === 2, 'the retry to be in flight', 30_000);
  const leased = await db.store.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  expect(leased).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(leased.leaseUntil).not.toBeNull();
  first.kill('SIGKILL');
  await exited(first);

  const killedAt = Date.now();
  const second = startWorker();
  await eventually(async () => (await db.store.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).status === 'SUCCEEDED', 'the delivery to succeed after the restart', 30_000);
  // Taken again only once the dead worker's lease ran out.
  expect(target.received[2]!.at).toBeGreaterThanOrEqual(leased.leaseUntil!.getTime() - 50);
  expect(target.received[2]!.at - killedAt).toBeGreaterThan(0);

  const delivery = await db.store.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  // The killed attempt left no row: two recorded, three received, all one webhook-id.
  expect(delivery).toMatchObject({ attempts: 2, lastResponseStatus: 200, nextAttemptAt: null, leaseOwner: null });
  expect(target.received).toHaveLength(3);
  expect(new Set(target.received.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery.eventId]));

  second.kill('SIGTERM');
  await exited(second);
  expect(second.exitCode).toBe(0);
}, 60_000);
