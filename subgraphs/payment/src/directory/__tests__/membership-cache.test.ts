import { businessMembershipChanged, businessRegistered, createEvent, RedisStreamsBus } from '@harbour/events';
import { createLogger } from '@harbour/logger';
import { deleteRedisPrefix, killRedisPubSubClient, REDIS_URL, uniqueRunId, waitUntil } from '@harbour/testing';
import { Redis } from 'ioredis';
import type { BusinessRole, Directory } from '../directory';
import { MembershipCache } from '../membership-cache';
import { forwardMembershipChanges, listenForMembershipChanges, membershipChangedChannel } from '../membership-invalidation';

/** The business subgraph's answers as a table the test edits; counts how often it is asked. */
class Memberships implements Directory {
  readonly roles = new Map<string, BusinessRole>();
  asked = 0;
  /** While set, an answer waits for this before it is given (an invalidation can arrive meanwhile). */
  hold?: Promise<void>;

  async membership(businessId: string, userId: string) {
    this.asked += 1;
    const role = this.roles.get(`${businessId}/${userId}`) ?? null;
    if (this.hold) await this.hold;
    return { business: { id: businessId, name: 'Shop', city: 'HK', merchantCategoryCode: null }, role };
  }

  async profile(businessId: string) {
    return { id: businessId, name: 'Shop', city: 'HK', merchantCategoryCode: null };
  }

  async owners(businessId: string) {
    const ownerUserIds = [...this.roles].filter(([key, role]) => key.startsWith(`${businessId}/`) && role === 'OWNER').map(([key]) => key.split('/')[1]!);
    return { business: { id: businessId, name: 'Shop' }, ownerUserIds };
  }

  async users() {
    return new Map();
  }
}

describe('MembershipCache', () => {
  let clock: number;
  let directory: Memberships;
  let cache: MembershipCache;
  beforeEach(() => {
    clock = 1_000_000;
    directory = new Memberships();
    directory.roles.set('biz_1/usr_1', 'OWNER');
    cache = new MembershipCache({ directory, ttlMs: 30_000, maxEntries: 3, now: () => clock });
  });

  it('asks every time until its invalidation channel is subscribed', async () => {
    await cache.role('biz_1', 'usr_1');
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(2);
    cache.listen();
    await cache.role('biz_1', 'usr_1');
    expect(await cache.role('biz_1', 'usr_1')).toBe('OWNER');
    expect(directory.asked).toBe(3);
  });

  it('remembers members only: someone just added is never refused', async () => {
    cache.listen();
    expect(await cache.role('biz_1', 'usr_2')).toBeNull();
    directory.roles.set('biz_1/usr_2', 'CASHIER');
    expect(await cache.role('biz_1', 'usr_2')).toBe('CASHIER');
    expect(directory.asked).toBe(2);
  });

  it('forgets a membership it is told changed, and keeps the others', async () => {
    directory.roles.set('biz_1/usr_2', 'CASHIER');
    cache.listen();
    await cache.role('biz_1', 'usr_1');
    await cache.role('biz_1', 'usr_2');
    directory.roles.delete('biz_1/usr_1');
    cache.forget('biz_1', 'usr_1');
    expect(await cache.role('biz_1', 'usr_1')).toBeNull();
    expect(await cache.role('biz_1', 'usr_2')).toBe('CASHIER');
    expect(directory.asked).toBe(3);
  });

  it('serves an answer for at most its time to live', async () => {
    cache.listen();
    await cache.role('biz_1', 'usr_1');
    clock += 29_999;
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(1);
    clock += 1;
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(2);
  });

  it('does not keep an answer fetched while an invalidation arrived', async () => {
    cache.listen();
    let release!: () => void;
    directory.hold = new Promise((resolve) => (release = resolve));
    const answer = cache.role('biz_1', 'usr_1');
    cache.forget('biz_1', 'usr_9');
    release();
    expect(await answer).toBe('OWNER');
    directory.hold = undefined;
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(2);
  });

  it('forgets everything, and stops remembering, when the channel is lost', async () => {
    cache.listen();
    await cache.role('biz_1', 'usr_1');
    cache.stopListening();
    expect(cache.size).toBe(0);
    await cache.role('biz_1', 'usr_1');
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(3);
  });

  it('holds a bounded number of answers, dropping the oldest', async () => {
    for (const user of ['usr_1', 'usr_2', 'usr_3', 'usr_4']) directory.roles.set(`biz_1/${user}`, 'CASHIER');
    cache.listen();
    for (const user of ['usr_1', 'usr_2', 'usr_3', 'usr_4']) await cache.role('biz_1', user);
    expect(cache.size).toBe(3);
    await cache.role('biz_1', 'usr_4');
    expect(directory.asked).toBe(4);
    await cache.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(5);
  });

  it('remembers nothing with a time to live of 0', async () => {
    const off = new MembershipCache({ directory, ttlMs: 0 });
    off.listen();
    await off.role('biz_1', 'usr_1');
    await off.role('biz_1', 'usr_1');
    expect(directory.asked).toBe(2);
  });
});

describe('membership invalidation over the bus and Redis pub/sub (real Redis)', () => {
  const logger = createLogger('membership-cache-test', 'silent');
  const prefix = `hbt:${uniqueRunId()}:`;
  const directory = new Memberships();
  const cache = new MembershipCache({ directory, ttlMs: 3_600_000 });
  const bus = new RedisStreamsBus({ redis: REDIS_URL, prefix, logger });
  const publisher = new Redis(REDIS_URL);
  const forwarder = forwardMembershipChanges({ bus, redis: publisher, prefix });
  const listener = listenForMembershipChanges({ redisUrl: REDIS_URL, prefix, cache, logger });

  /** Asks twice; true when the second answer came from memory. */
  const remembered = async (businessId: string, userId: string) => {
    const before = directory.asked;
    await cache.role(businessId, userId);
    await cache.role(businessId, userId);
    return directory.asked - before <= 1;
  };
  const changed = (businessId: string, userId: string, change: 'REMOVED' | 'ROLE_CHANGED') =>
    createEvent(businessMembershipChanged, {
      source: 'business',
      aggregateType: 'business',
      aggregateId: businessId,
      payload: {
        businessId,
        businessName: 'Shop',
        userId,
        change,
        role: change === 'REMOVED' ? null : 'CASHIER',
        previousRole: 'OWNER',
        changedByUserId: 'usr_owner',
        changedAt: new Date().toISOString(),
      },
    });

  beforeAll(async () => {
    await forwarder.ready;
    await waitUntil(() => cache.isListening, 'the cache listens');
  });
  afterAll(async () => {
    listener.close();
    await forwarder.close();
    await bus.close();
    publisher.disconnect();
    await deleteRedisPrefix(prefix);
  });

  it('evicts a membership when the business subgraph publishes its change on the bus', async () => {
    directory.roles.set('biz_a/usr_a', 'OWNER');
    directory.roles.set('biz_a/usr_b', 'OWNER');
    expect(await remembered('biz_a', 'usr_a')).toBe(true);
    expect(await remembered('biz_a', 'usr_b')).toBe(true);

    directory.roles.delete('biz_a/usr_a');
    directory.roles.set('biz_a/usr_b', 'CASHIER');
    await bus.publish([changed('biz_a', 'usr_a', 'REMOVED'), changed('biz_a', 'usr_b', 'ROLE_CHANGED')]);
    await waitUntil(async () => (await cache.role('biz_a', 'usr_a')) === null, 'the removed member is refused');
    await waitUntil(async () => (await cache.role('biz_a', 'usr_b')) === 'CASHIER', 'the new role is seen');
  });

  it('evicts only the membership that changed, and ignores other events', async () => {
    directory.roles.set('biz_c/usr_c', 'OWNER');
    directory.roles.set('biz_d/usr_d', 'OWNER');
    expect(await remembered('biz_c', 'usr_c')).toBe(true);
    expect(await remembered('biz_d', 'usr_d')).toBe(true);
    const registered = createEvent(businessRegistered, {
      source: 'business',
      aggregateType: 'business',
      aggregateId: 'biz_c',
      payload: { businessId: 'biz_c', name: 'Shop', city: 'HK', merchantCategoryCode: null, ownerUserId: 'usr_c', registeredAt: new Date().toISOString() },
    });
    directory.roles.delete('biz_d/usr_d');
    // In order: once biz_d's change is seen, the event before it has been handled too.
    await bus.publish([registered, changed('biz_d', 'usr_d', 'REMOVED')]);
    await waitUntil(async () => (await cache.role('biz_d', 'usr_d')) === null, 'the removed member is refused');
    const before = directory.asked;
    expect(await cache.role('biz_c', 'usr_c')).toBe('OWNER');
    expect(directory.asked).toBe(before);
  });

  it('forgets everything when its connection drops, and remembers again once resubscribed', async () => {
    directory.roles.set('biz_f/usr_f', 'OWNER');
    expect(await remembered('biz_f', 'usr_f')).toBe(true);
    await killRedisPubSubClient(`harbour-payment-membership-cache-${process.pid}`);
    await waitUntil(() => !cache.isListening, 'the cache stops listening');
    await waitUntil(() => cache.isListening, 'the cache listens again');
    const before = directory.asked;
    await cache.role('biz_f', 'usr_f');
    expect(directory.asked).toBe(before + 1);
    // And the new subscription carries invalidations.
    directory.roles.delete('biz_f/usr_f');
    await bus.publish([changed('biz_f', 'usr_f', 'REMOVED')]);
    await waitUntil(async () => (await cache.role('biz_f', 'usr_f')) === null, 'the removed member is refused');
  });

  it('forgets everything on a message it does not understand', async () => {
    directory.roles.set('biz_g/usr_g', 'OWNER');
    expect(await remembered('biz_g', 'usr_g')).toBe(true);
    await publisher.publish(membershipChangedChannel(prefix), 'not json');
    await waitUntil(() => cache.size === 0, 'the cache is empty');
  });
});
