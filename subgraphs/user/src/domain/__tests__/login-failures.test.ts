import net from 'node:net';
import { createLogger } from '@harbour/logger';
import { deleteRedisPrefix, freePorts, REDIS_URL, uniqueRunId } from '@harbour/testing';
import { Redis } from 'ioredis';
import { redisLoginFailures } from '../login-failures';
import type { E164Phone } from '../phone';

/** A number as logIn passes it, already in E.164. */
const number = (e164: string) => e164 as E164Phone;

/** logIn's per-account limit against a real Redis. */
describe('redisLoginFailures', () => {
  const prefix = `hbt:${uniqueRunId()}:`;
  const redis = new Redis(REDIS_URL);
  const logger = createLogger('login-failures-test', 'silent');
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it('lets `limit` attempts through, then refuses the number for the rest of the window that began with the first', async () => {
    const failures = redisLoginFailures(redis, prefix, { limit: 3, windowSeconds: 60 }, logger);
    for (let i = 0; i < 3; i++) expect(await failures.attempt(number('+85290000001'))).toBe(0);
    const wait = await failures.attempt(number('+85290000001'));
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
    // Refused attempts do not extend the window.
    await failures.attempt(number('+85290000001'));
    expect(await redis.pttl(`${prefix}login-failures:+85290000001`)).toBeLessThanOrEqual(60_000);
    // Another number is not affected.
    expect(await failures.attempt(number('+85290000002'))).toBe(0);
  });

  it('counts concurrent attempts one by one: exactly `limit` get through', async () => {
    const failures = redisLoginFailures(redis, prefix, { limit: 5, windowSeconds: 60 }, logger);
    const waits = await Promise.all(Array.from({ length: 20 }, () => failures.attempt(number('+85290000008'))));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
  });

  it('a success clears the count', async () => {
    const failures = redisLoginFailures(redis, prefix, { limit: 3, windowSeconds: 60 }, logger);
    await failures.attempt(number('+85290000003'));
    await failures.attempt(number('+85290000003'));
    await failures.succeeded(number('+85290000003'));
    for (let i = 0; i < 3; i++) expect(await failures.attempt(number('+85290000003'))).toBe(0);
    expect(await failures.attempt(number('+85290000003'))).toBeGreaterThan(0);
  });

  it('lets the number try again once the window has passed', async () => {
    const failures = redisLoginFailures(redis, prefix, { limit: 1, windowSeconds: 1 }, logger);
    expect(await failures.attempt(number('+85290000004'))).toBe(0);
    expect(await failures.attempt(number('+85290000004'))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await failures.attempt(number('+85290000004'))).toBe(0);
  });

  it('limit 0 turns it off and writes nothing', async () => {
    const failures = redisLoginFailures(redis, prefix, { limit: 0, windowSeconds: 60 }, logger);
    for (let i = 0; i < 5; i++) expect(await failures.attempt(number('+85290000005'))).toBe(0);
    expect(await redis.exists(`${prefix}login-failures:+85290000005`)).toBe(0);
  });

  it('a Redis that never answers: logins go on without the limit (each call stops waiting), warned once', async () => {
    // Accepts connections and says nothing, as a Redis behind a broken network does.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const mute = new Redis({ port: (silent.address() as net.AddressInfo).port, host: '127.0.0.1', maxRetriesPerRequest: 2 });
    mute.on('error', () => undefined);
    const warnings: unknown[] = [];
    const watched = createLogger('login-failures-test', 'silent');
    watched.warn = ((...args: unknown[]) => void warnings.push(args)) as typeof watched.warn;
    try {
      const failures = redisLoginFailures(mute, prefix, { limit: 1, windowSeconds: 60 }, watched);
      // Without its own deadline each call would wait for ever: the test would time out.
      expect(await failures.attempt(number('+85290000006'))).toBe(0);
      expect(await failures.attempt(number('+85290000006'))).toBe(0);
      await failures.succeeded(number('+85290000006'));
      expect(warnings).toHaveLength(1); // logged once, not per login
    } finally {
      mute.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a Redis that refuses connections: logins go on without the limit', async () => {
    const [deadPort] = await freePorts(1);
    const dead = new Redis({ port: deadPort, host: '127.0.0.1', maxRetriesPerRequest: 2 });
    dead.on('error', () => undefined);
    try {
      const failures = redisLoginFailures(dead, prefix, { limit: 1, windowSeconds: 60 }, logger);
      expect(await failures.attempt(number('+85290000007'))).toBe(0);
      expect(await failures.attempt(number('+85290000007'))).toBe(0);
    } finally {
      dead.disconnect();
    }
  });
});
