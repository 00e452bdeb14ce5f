import net from 'node:net';
import { createLogger } from '@harbour/logger';
import { deleteRedisPrefix, freePorts, REDIS_URL, uniqueRunId, waitUntil } from '@harbour/testing';
import { Redis, type RedisOptions } from 'ioredis';
import { gatewayRedisOptions } from '../../config';
import { createGatewayMetrics } from '../../observability/metrics';
import { RedisOutage } from '../../redis-outage';
import { SlidingWindowLimiter, type WindowLimit } from '../sliding-window';

const prefix = `hbt:${uniqueRunId()}:`;
const logger = createLogger('rate-limit-test', 'silent');
// As the gateway makes its client (gatewayRedisOptions): it fails fast rather than queue or wait (and disconnects quickly here).
const FAIL_FAST: RedisOptions = { ...gatewayRedisOptions({ redisCommandTimeoutMs: 300 }), disconnectTimeout: 100 };
const clients: Redis[] = [];

/** A limiter on its own client; `connected`: wait until it is (with no offline queue, a command before that fails open). */
async function limiterOn(url: string, options: RedisOptions = {}, connected = true) {
  const redis = new Redis(url, { ...FAIL_FAST, ...options });
  if (connected) await new Promise((resolve) => redis.once('ready', resolve));
  redis.on('error', () => undefined);
  clients.push(redis);
  const metrics = createGatewayMetrics({ defaultMetrics: false });
  const warn = jest.spyOn(logger, 'warn');
  warn.mockClear();
  return { redis, metrics, warn, limiter: new SlidingWindowLimiter(redis, new RedisOutage({ component: 'rate_limit', logger, metrics })) };
}

const failures = async (metrics: ReturnType<typeof createGatewayMetrics>) =>
  (await metrics.redisFailures.get()).values.find((value) => value.labels.component === 'rate_limit')?.value ?? 0;

/** About ten years: the current window of this length began years ago and ends in years. */
const NO_BOUNDARY_MS = 10 * 365 * 86_400_000;

let counter = 0;
const limit = (name: string, count: number, windowMs = 60_000): WindowLimit => ({ name, key: `${prefix}rate:${name}:${counter++}`, limit: count, windowMs });

afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  await deleteRedisPrefix(prefix);
});

describe('sliding-window limiter (real Redis)', () => {
  it('admits up to the limit, then refuses naming the limit and when to retry', async () => {
    const { limiter } = await limiterOn(REDIS_URL);
    const perUser = limit('user', 3);
    const admitted = [];
    for (let i = 0; i < 3; i++) admitted.push(await limiter.admit([perUser]));
    expect(admitted).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    const refused = await limiter.admit([perUser]);
    expect(refused).toMatchObject({ allowed: false, limit: 'user' });
    const { retryAfterSeconds } = refused as { retryAfterSeconds: number };
    // The window is full: room comes in the next window at the latest, never beyond two windows.
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it('counts a request against every limit, or against none when one refuses', async () => {
    const { limiter, redis } = await limiterOn(REDIS_URL);
    const strict = limit('sensitive_ip', 2);
    const generous = limit('ip', 100);
    for (let i = 0; i < 2; i++) expect(await limiter.admit([generous, strict])).toEqual({ allowed: true });
    for (let i = 0; i < 5; i++) expect(await limiter.admit([generous, strict])).toMatchObject({ allowed: false, limit: 'sensitive_ip' });
    // The five refused requests consumed nothing of the generous limit.
    expect(await redis.hget(generous.key, 'c')).toBe('2');
    expect(await redis.hget(strict.key, 'c')).toBe('2');
    expect(await redis.pttl(generous.key)).toBeGreaterThan(60_000);
  });

  it('names the limit with the longest wait when several refuse', async () => {
    const { limiter } = await limiterOn(REDIS_URL);
    const short = limit('user', 1, 1_000);
    const long = limit('sensitive_user', 1, 600_000);
    await limiter.admit([short, long]);
    const refused = await limiter.admit([short, long]);
    expect(refused).toMatchObject({ allowed: false, limit: 'sensitive_user' });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(2);
  });

  it('admits again once the retry time it gave has passed', async () => {
    const { limiter } = await limiterOn(REDIS_URL);
    const perSecond = limit('ip', 1, 1_000);
    expect(await limiter.admit([perSecond])).toEqual({ allowed: true });
    const refused = (await limiter.admit([perSecond])) as { allowed: false; retryAfterSeconds: number };
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterSeconds * 1000));
    expect(await limiter.admit([perSecond])).toEqual({ allowed: true });
  });

  it('a caller seen once costs its one request, however generous the limit', async () => {
    const { limiter, redis } = await limiterOn(REDIS_URL);
    const generous = limit('ip', 1_000_000);
    expect(await limiter.admit([generous])).toEqual({ allowed: true });
    expect(await redis.hget(generous.key, 'c')).toBe('1');
  });

  it('leases a busy caller requests ahead: far fewer Redis round trips, every admitted request counted in Redis first', async () => {
    const { limiter, redis } = await limiterOn(REDIS_URL);
    const perIp = limit('ip', 100_000);
    const perUser = limit('user', 100_000);
    for (let i = 0; i < 200; i++) expect(await limiter.admit([perIp, perUser])).toEqual({ allowed: true });
    expect(limiter.redisChecks).toBeLessThan(30);
    for (const key of [perIp.key, perUser.key]) {
      // c + p: the test may cross a window's boundary (the count then moves to p).
      const [c, p] = await redis.hmget(key, 'c', 'p');
      const counted = Number(c) + Number(p ?? 0);
      expect(counted).toBeGreaterThanOrEqual(200);
      // Beyond the last lease's unused requests, only leases that ended unused (expired on a loaded machine, cut at the window's end).
      expect(counted - limiter.leasedUnused).toBeLessThan(200 + 16);
    }
  });

  it('never admits beyond a limit, with two replicas leasing for the same caller at once', async () => {
    const replicas = [await limiterOn(REDIS_URL), await limiterOn(REDIS_URL)];
    // Windows are aligned to the epoch: a 60 s one ends every minute, and past its end the previous window's
    // count weighs less each second (the weighted counter's approximation), so a test crossing one may admit
    // more than 100 in all. This window's end is years away.
    const perUser = limit('user', 100, NO_BOUNDARY_MS);
    let admitted = 0;
    for (let round = 0; round < 30; round++) {
      const verdicts = await Promise.all(replicas.flatMap(({ limiter }) => Array.from({ length: 5 }, () => limiter.admit([perUser]))));
      admitted += verdicts.filter((verdict) => verdict.allowed).length;
    }
    expect(admitted).toBeLessThanOrEqual(100);
    // Leases shrink to one request near the limit: only what the replicas still hold unused is lost.
    expect(admitted).toBeGreaterThanOrEqual(90);
    expect(Number(await replicas[0]!.redis.hget(perUser.key, 'c'))).toBeLessThanOrEqual(100);
  });

  it('a lease ends with the window it was counted in', async () => {
    const { limiter, redis } = await limiterOn(REDIS_URL);
    const perSecond = limit('ip', 100_000, 1_000);
    // Start early in a window, so the lease is granted within it.
    await waitUntil(async () => Number((await redis.time())[1]) < 300_000, 'a new second begins');
    for (let i = 0; i < 8; i++) await limiter.admit([perSecond]);
    const checks = limiter.redisChecks;
    const [seconds] = await redis.time();
    await waitUntil(async () => (await redis.time())[0] !== seconds, 'the window ends');
    expect(await limiter.admit([perSecond])).toEqual({ allowed: true });
    expect(limiter.redisChecks).toBe(checks + 1);
  });

  it('asks Redis every time where leasing is off (the sensitive limits)', async () => {
    const { limiter, redis } = await limiterOn(REDIS_URL);
    const sensitive = limit('sensitive_ip', 1_000);
    for (let i = 0; i < 20; i++) expect(await limiter.admit([sensitive], { lease: false })).toEqual({ allowed: true });
    expect(limiter.redisChecks).toBe(20);
    expect(await redis.hget(sensitive.key, 'c')).toBe('20');
  });

  it('fails open when Redis is unreachable: every request admitted and counted, one log line', async () => {
    const [deadPort] = await freePorts(1);
    const { limiter, metrics, warn } = await limiterOn(`redis://127.0.0.1:${deadPort}`, { retryStrategy: () => 100 }, false);
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => limiter.admit([limit('user', 1)])));
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
    expect(await failures(metrics)).toBe(50);
    expect(warn.mock.calls.filter(([, message]) => String(message).includes('rate_limit: Redis unavailable'))).toHaveLength(1);
  });

  it('fails open when Redis accepts connections but never answers (the command timeout bounds the wait)', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket.on('error', () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      // Without the ready check ioredis would never call the connection ready.
      const { limiter, metrics } = await limiterOn(`redis://127.0.0.1:${port}`, { enableReadyCheck: false, enableOfflineQueue: true }, false);
      expect(await limiter.admit([limit('user', 1)])).toEqual({ allowed: true });
      expect(await failures(metrics)).toBe(1);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
