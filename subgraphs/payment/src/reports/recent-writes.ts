import type { Redis } from 'ioredis';

/**
 * Read-your-writes over a lagging replica: each money movement notes the
 * business and users it touched; for a while afterwards, their reporting
 * reads go to the primary. Kept in Redis so every replica of this subgraph
 * knows; when Redis cannot say, reads go to the primary (fresh, if slower).
 */
export interface RecentWrites {
  note(keys: string[]): Promise<void>;
  /** True when a reporting read about `key` must see the primary. */
  isRecent(key: string): Promise<boolean>;
}

export const businessKey = (businessId: string) => `business:${businessId}`;
export const userKey = (userId: string) => `user:${userId}`;

export function redisRecentWrites(redis: Redis, prefix: string, seconds: number): RecentWrites {
  const key = (name: string) => `${prefix}recent-write:${name}`;
  return {
    async note(keys) {
      if (keys.length === 0) return;
      try {
        const pipeline = redis.pipeline();
        for (const name of keys) pipeline.set(key(name), '1', 'EX', seconds);
        await pipeline.exec();
      } catch {
        // The write is committed; a missed note only risks a stale read until the replica catches up.
      }
    },
    async isRecent(name) {
      try {
        return (await redis.exists(key(name))) === 1;
      } catch {
        return true;
      }
    },
  };
}

/** Without a replica every read is on the primary: nothing to remember. */
export const withoutReplica: RecentWrites = {
  note: async () => undefined,
  isRecent: async () => true,
};
