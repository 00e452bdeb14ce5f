/**
 * main.ts as it runs in production: the server, and the consumer on the
 * Redis Streams bus from the environment publishing live updates; SIGTERM
 * stops both and the process exits cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { RedisStreamsBus } from '@harbour/events';
import { IDENTITY_HEADER, signIdentity } from '@harbour/identity';
import { migrate } from '@harbour/prisma';
import { createNotificationStore, type NotificationStore } from '@harbour/prisma/notification';
import { deleteRedisPrefix, freePorts } from '@harbour/testing';
import { Redis } from 'ioredis';
import { eventually, MYSQL_URL, paymentEvent, REDIS_URL, uniqueRunId, userId } from './support/harness';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

let child: ChildProcess | undefined;
let output = '';
let store: NotificationStore;
let database: string;
let databaseUrl: string;
let redisKeyPrefix: string;

beforeAll(async () => {
  const runId = uniqueRunId();
  database = `hbt_${runId}_notification`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
  await migrate('notification', databaseUrl, { logger: { info: () => undefined, warn: () => undefined } });
  store = createNotificationStore(databaseUrl);
  redisKeyPrefix = `hbt:${runId}:`;
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await store.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${database}\``);
  await store.$disconnect();
  await deleteRedisPrefix(redisKeyPrefix);
});

test('main.ts serves, consumes the Redis Streams bus, publishes live updates, and stops on SIGTERM', async () => {
  const [port] = await freePorts(1);
  const secret = randomBytes(36).toString('base64url');
  child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'subgraphs', 'notification', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NOTIFICATION_DATABASE_URL: databaseUrl,
      NOTIFICATION_PORT: String(port),
      REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      INTERNAL_IDENTITY_SECRET: secret,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

  const subscriber = new Redis(REDIS_URL);
  const messages: Array<{ channel: string; message: string }> = [];
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => messages.push({ channel, message }));
  await subscriber.psubscribe(`${redisKeyPrefix}notification-added:*`);
  const bus = new RedisStreamsBus({ redis: REDIS_URL, prefix: redisKeyPrefix });
  try {
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok === true, `the subgraph to be ready:\n${output}`, 30_000);

    const [payer, merchant] = [userId(), userId()];
    const event = paymentEvent({ payer, merchant, amountMinor: '8850' });
    await bus.publish([event]);
    await eventually(async () => (await store.notification.count({ where: { sourceEventId: event.id } })) === 2, 'the notifications', 20_000);
    const received = await store.notification.findUniqueOrThrow({ where: { userId_sourceEventId: { userId: merchant, sourceEventId: event.id } } });
    await eventually(() => messages.some((m) => m.channel === `${redisKeyPrefix}notification-added:${merchant}`), 'the live update');
    expect(JSON.parse(messages.find((m) => m.channel.endsWith(merchant))!.message)).toEqual({ id: received.id, notificationId: received.id, userId: merchant });

    const identity = await signIdentity({ kind: 'user', userId: merchant, sessionId: 'ses_test' }, new TextEncoder().encode(secret), 'gateway');
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
      body: JSON.stringify({
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications(first: 5) { unreadCount edges { node { id title } } } } } }',
        variables: { r: [{ __typename: 'User', id: merchant }] },
      }),
    });
    expect(await response.json()).toEqual({
      data: { _entities: [{ notifications: { unreadCount: 1, edges: [{ node: { id: received.id, title: 'Payment received' } }] } }] },
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    await bus.close();
    await subscriber.quit();
  }
}, 60_000);
