/**
 * The read-your-writes marks against the real Redis: a write's mark sends
 * reads about its subject to the primary for a while, other subjects go to
 * the replica, and when Redis cannot answer the primary does.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { commonConfig, ConfigError } from '@harbour/config';
import { createLogger } from '@harbour/logger';
import { Redis } from 'ioredis';
import { openReadReplica, readStoreFor, recentWritePrefix, userKey, type OpenReplica } from '../read-replica';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPLICA_URL = 'mysql://root@127.0.0.1:3306/harbour_timeline_replica';
const logger = createLogger('test', 'silent');
const primary = { name: 'primary', $disconnect: async () => undefined };
type Store = typeof primary;
const opened: Array<OpenReplica<Store>> = [];

async function open(env: Record<string, string>): Promise<OpenReplica<Store> | undefined> {
  const replica = await openReadReplica({
    name: 'timeline',
    createStore: (url) => ({ name: url, $disconnect: async () => undefined }),
    config: commonConfig(env),
    logger,
    env,
  });
  if (replica) opened.push(replica);
  return replica;
}

afterAll(async () => {
  for (const replica of opened) await replica.close();
});

it('has no replica unless <NAME>_REPLICA_URL is set, and every read is on the primary', async () => {
  expect(await open({ REDIS_URL })).toBeUndefined();
  expect(await readStoreFor(primary, undefined, userKey('usr_1'))).toBe(primary);
});

it('sends reads about a subject written to recently to the primary, for the configured time', async () => {
  const prefix = `hbt:${randomUUID()}:`;
  const replica = (await open({ REDIS_URL, REDIS_KEY_PREFIX: prefix, TIMELINE_REPLICA_URL: REPLICA_URL, TIMELINE_READ_YOUR_WRITES_SECONDS: '30' }))!;
  expect(replica.store.name).toBe(REPLICA_URL);
  const redis = new Redis(REDIS_URL);
  try {
    expect(await readStoreFor(primary, replica, userKey('usr_written'))).toBe(replica.store);
    await replica.recentWrites.note([userKey('usr_written')]);
    expect(await readStoreFor(primary, replica, userKey('usr_written'))).toBe(primary);
    expect(await readStoreFor(primary, replica, userKey('usr_other'))).toBe(replica.store);
    const mark = `${recentWritePrefix(prefix, 'timeline')}user:usr_written`;
    expect(mark).toBe(`${prefix}recent-write:timeline:user:usr_written`);
    const ttl = await redis.ttl(mark);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    // The window is over once the mark has expired.
    await redis.del(mark);
    expect(await readStoreFor(primary, replica, userKey('usr_written'))).toBe(replica.store);
  } finally {
    redis.disconnect();
  }
});

it('reads from the primary when Redis cannot say, and a write does not fail for want of its mark', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const replica = (await open({ REDIS_URL: `redis://127.0.0.1:${closedPort}`, TIMELINE_REPLICA_URL: REPLICA_URL }))!;
  await expect(replica.recentWrites.note([userKey('usr_1')])).resolves.toBeUndefined();
  expect(await readStoreFor(primary, replica, userKey('usr_1'))).toBe(primary);
});

it('refuses a malformed window at start, naming it', async () => {
  await expect(open({ REDIS_URL, TIMELINE_REPLICA_URL: REPLICA_URL, TIMELINE_READ_YOUR_WRITES_SECONDS: 'soon' })).rejects.toThrow(ConfigError);
  await expect(open({ REDIS_URL, TIMELINE_REPLICA_URL: REPLICA_URL, TIMELINE_READ_YOUR_WRITES_SECONDS: 'soon' })).rejects.toThrow(/TIMELINE_READ_YOUR_WRITES_SECONDS/);
});
