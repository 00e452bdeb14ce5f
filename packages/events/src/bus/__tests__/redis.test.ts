import { Redis } from 'ioredis';
import { transferEvents } from '../../__tests__/support/events';
import { testLogger } from '../../__tests__/support/logger';
import { deleteRedisPrefix, REDIS_URL, redisPort, uniqueRunId } from '../../__tests__/support/resources';
import { TcpProxy } from '../../__tests__/support/tcp-proxy';
import { eventually, Recorder } from '../../__tests__/support/waiting';
import { BusUnavailableError } from '../../errors';
import { RedisStreamsBus } from '../redis/bus';
import type { DeadLetter } from '../types';
import { describeBusContract } from './bus-contract';

describeBusContract('RedisStreamsBus', async () => {
  const prefix = `hbt:${uniqueRunId()}:`;
  const bus = new RedisStreamsBus({ redis: REDIS_URL, prefix, logger: testLogger });
  return { bus, deadLetters: () => bus.deadLetters(), cleanup: () => deleteRedisPrefix(prefix) };
});

describe('RedisStreamsBus: Redis outages and housekeeping', () => {
  const fast = { minIdleMs: 300, blockMs: 100, drainTimeoutMs: 5_000 };
  let prefix: string;
  let proxy: TcpProxy;
  let direct: RedisStreamsBus;
  let viaProxy: RedisStreamsBus;
  let redis: Redis;

  beforeEach(async () => {
    prefix = `hbt:${uniqueRunId()}:`;
    proxy = await TcpProxy.start(redisPort());
    direct = new RedisStreamsBus({ redis: REDIS_URL, prefix, logger: testLogger });
    viaProxy = new RedisStreamsBus({ redis: proxy.url, prefix, logger: testLogger, publishTimeoutMs: 1_000 });
    // Lazy: a test that never uses it must not leave a half-open connection behind.
    redis = new Redis(REDIS_URL, { lazyConnect: true });
  });

  afterEach(async () => {
    await Promise.all([direct.close(), viaProxy.close()]);
    await proxy.close();
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  test('publish rejects quickly while Redis is unreachable, and works again once it is back', async () => {
    await viaProxy.publish(transferEvents(1));
    await proxy.cut();
    const started = Date.now();
    await expect(viaProxy.publish(transferEvents(1))).rejects.toBeInstanceOf(BusUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);
    await proxy.resume();
    const later = transferEvents(2);
    await eventually(async () => {
      try {
        await viaProxy.publish(later);
        return true;
      } catch (error) {
        if (!(error instanceof BusUnavailableError)) throw error;
        return false;
      }
    }, 20_000, 'publishing after Redis came back');
    const stored = await redis.xrange(`${prefix}events`, '-', '+');
    expect(stored).toHaveLength(3);
  });

  test('a subscriber cut off from Redis reconnects and resumes where its group was', async () => {
    const received = new Recorder<string>();
    const subscription = viaProxy.subscribe('resilient', 'c1', async (event) => received.push(event.id), fast);
    await subscription.ready;
    const events = transferEvents(6);
    await direct.publish(events.slice(0, 2));
    await received.waitFor(2);
    await proxy.cut();
    // Redis itself is up: others keep publishing while this subscriber is cut off.
    await direct.publish(events.slice(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.items).toHaveLength(2);
    await proxy.resume();
    expect(await received.waitFor(6)).toEqual(events.map((event) => event.id));
  });

  test('recreates its group when Redis lost the stream (a restart without persistence)', async () => {
    const received = new Recorder<string>();
    const subscription = direct.subscribe('amnesia', 'c1', async (event) => received.push(event.id), fast);
    await subscription.ready;
    const before = transferEvents(1);
    await direct.publish(before);
    await received.waitFor(1);
    await redis.del(`${prefix}events`);
    const after = transferEvents(2);
    // Published until the subscriber's recreated group (startAt 0) catches them.
    await eventually(async () => {
      await direct.publish(after);
      return received.items.length >= 3;
    }, 20_000, 'delivery after the stream vanished');
    expect(received.items.slice(1, 3)).toEqual(after.map((event) => event.id));
  });

  test('dead-letters an entry that is not an event at once, without calling the handler', async () => {
    const calls: string[] = [];
    const subscription = direct.subscribe('picky', 'c1', async (event) => void calls.push(event.id), fast);
    await subscription.ready;
    await redis.xadd(`${prefix}events`, '*', 'event', '{not json');
    let dead: DeadLetter[] = [];
    await eventually(async () => (dead = await direct.deadLetters()).length > 0, 20_000, 'a dead letter');
    expect(dead[0]).toMatchObject({ event: null, raw: '{not json', group: 'picky', deliveries: 1, error: 'undecodable message' });
    expect(calls).toEqual([]);
    const pending = (await redis.xpending(`${prefix}events`, 'picky')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  test('keeps the stream near maxLen', async () => {
    const capped = new RedisStreamsBus({ redis: REDIS_URL, prefix, logger: testLogger, maxLen: 50 });
    try {
      for (let i = 0; i < 10; i++) await capped.publish(transferEvents(100));
      // MAXLEN ~ trims whole nodes (100 entries by default), so "near" is generous.
      expect(await redis.xlen(`${prefix}events`)).toBeLessThanOrEqual(250);
    } finally {
      await capped.close();
    }
  });

  test('needs a key prefix', () => {
    expect(() => new RedisStreamsBus({ redis: REDIS_URL, prefix: '' })).toThrow(TypeError);
  });
});
