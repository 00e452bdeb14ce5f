import type { Redis } from 'ioredis';

/**
 * Read-your-writes over a lagging replica: each write notes whom it
 * concerned (a business, a user); for a while afterwards, reporting reads
 * about them go to the primary. Kept in Redis so every process of the
 * subgraph knows, whichever one wrote; when Redis cannot say, reads go to
 * the primary (fresh, if slower).
 */
export interface RecentWrites {
  /** Call after the write commits and before anyone is told of it. */
  note(keys: string[]): Promise<void>;
  /** True when a reporting read about `key` must see the primary. */
  isRecent(key: string): Promise<boolean>;
}

/** The key of writes concerning a business (its dashboard). */
export const businessKey = (businessId: string) => `business:${businessId}`;
/** The key of writes concerning a user (their own lists). */
export const userKey = (userId: string) => `user:${userId}`;

/** Marks `<keyPrefix><key>` that expire after `seconds`. */
export function redisRecentWrites(redis: Redis, keyPrefix: string, seconds: number): RecentWrites {
  const key = (name: string) => `${keyPrefix}${name}`;
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
