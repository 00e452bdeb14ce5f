import { createLogger } from '@harbour/logger';
import { startRedisCluster, type TestRedisCluster } from '@harbour/testing';
import type { Cluster } from 'ioredis';
import { RedisOutage } from '../../redis-outage';
import { SlidingWindowLimiter, type WindowLimit } from '../sliding-window';

/** The limiter on a real 3-master Redis Cluster: a request's limits are on different slots and nodes. */
describe('sliding-window limiter (real Redis Cluster)', () => {
  let redisCluster: TestRedisCluster;
  let cluster: Cluster;
  beforeAll(async () => {
    redisCluster = await startRedisCluster(3);
    cluster = await redisCluster.connect({ redisOptions: { commandTimeout: 2_000 } });
  }, 60_000);
  afterAll(() => redisCluster?.stop());

  /** Where a key lives: its slot and the node serving it. */
  const placed = async (key: string) => {
    const slot = Number(await cluster.cluster('KEYSLOT', key));
    return { slot, node: cluster.slots[slot]?.[0] };
  };

  it('refuses past the limit for a request counted against limits on different nodes, counts nothing on a refusal, never fails open', async () => {
    const outage = new RedisOutage({ component: 'rate_limit', logger: createLogger('rate-limit-cluster-test', 'silent') });
    const failed = jest.spyOn(outage, 'failed');
    const limiter = new SlidingWindowLimiter(cluster, outage);
    const strict: WindowLimit = { name: 'sensitive_user', key: 'hbt:rate:sensitive_user:u-1', limit: 2, windowMs: 60_000 };
    // A subject whose key is on another node than the user's.
    let ip = 0;
    while ((await placed(`hbt:rate:ip:10.0.0.${ip}`)).node === (await placed(strict.key)).node) ip++;
    const generous: WindowLimit = { name: 'ip', key: `hbt:rate:ip:10.0.0.${ip}`, limit: 100, windowMs: 60_000 };
    const [a, b] = [await placed(strict.key), await placed(generous.key)];
    expect(a.slot).not.toBe(b.slot);
    expect(a.node).not.toBe(b.node);

    for (let i = 0; i < 2; i++) expect(await limiter.admit([generous, strict], { lease: false })).toEqual({ allowed: true });
    for (let i = 0; i < 5; i++) expect(await limiter.admit([generous, strict], { lease: false })).toMatchObject({ allowed: false, limit: 'sensitive_user' });
    // The refused requests consumed nothing of the generous limit.
    expect(await cluster.hget(generous.key, 'c')).toBe('2');
    expect(await cluster.hget(strict.key, 'c')).toBe('2');
    expect(failed).not.toHaveBeenCalled();
  });

  it('leases on a cluster too: a busy caller is counted ahead on both nodes, never beyond the limit', async () => {
    const outage = new RedisOutage({ component: 'rate_limit', logger: createLogger('rate-limit-cluster-test', 'silent') });
    const failed = jest.spyOn(outage, 'failed');
    const limiter = new SlidingWindowLimiter(cluster, outage);
    const perUser: WindowLimit = { name: 'user', key: 'hbt:rate:user:u-2', limit: 50, windowMs: 3_600_000 };
    const perIp: WindowLimit = { name: 'ip', key: 'hbt:rate:ip:10.1.0.1', limit: 100_000, windowMs: 3_600_000 };
    let admitted = 0;
    for (let i = 0; i < 80; i++) if ((await limiter.admit([perIp, perUser])).allowed) admitted++;
    expect(admitted).toBeLessThanOrEqual(50);
    expect(admitted).toBeGreaterThanOrEqual(40);
    expect(limiter.redisChecks).toBeLessThan(80);
    expect(Number(await cluster.hget(perUser.key, 'c'))).toBeLessThanOrEqual(50);
    expect(failed).not.toHaveBeenCalled();
  });
});
