import { readYourWritesSeconds, replicaUrl, type CommonConfig, type SubgraphName } from '@harbour/config';
import type { Logger } from '@harbour/logger';
import type { ConnectionPoolStats, StorePoolOptions } from '../observability';
import { Redis } from 'ioredis';
import { redisRecentWrites, type RecentWrites } from './recent-writes';

/**
 * A subgraph's read replica: where its reporting reads go, and the marks of
 * recent writes that keep a caller's reads about their own changes on the
 * primary (the contract: reads that follow the caller's own writes are
 * never stale).
 */
export interface ReadReplica<TStore> {
  store: TStore;
  recentWrites: RecentWrites;
}

/**
 * The store a reporting read about `key` should use: the replica, unless
 * there is none or `key` was written to recently (a merchant who has just
 * been told of a payment sees it on the dashboard; a user told of a
 * notification finds it in the list).
 */
export async function readStoreFor<TStore>(primary: TStore, replica: ReadReplica<TStore> | undefined, key: string): Promise<TStore> {
  if (!replica) return primary;
  return (await replica.recentWrites.isRecent(key)) ? primary : replica.store;
}

/** `<REDIS_KEY_PREFIX>recent-write:<subgraph>:`, before `user:<id>` or `business:<id>`. */
export const recentWritePrefix = (redisKeyPrefix: string, name: SubgraphName) => `${redisKeyPrefix}recent-write:${name}:`;

/** A replica opened by this process, closed with it. */
export interface OpenReplica<TStore> extends ReadReplica<TStore> {
  close(): Promise<void>;
}

/**
 * `<NAME>_REPLICA_URL`'s store, if set, with read-your-writes marks in
 * Redis that last `<NAME>_READ_YOUR_WRITES_SECONDS`. Its Redis connection
 * fails fast: while Redis is away reads go to the primary rather than wait.
 */
export async function openReadReplica<TStore extends { $disconnect(): Promise<void> }>(options: {
  name: SubgraphName;
  createStore: (databaseUrl: string, pool: StorePoolOptions) => TStore;
  config: CommonConfig;
  logger: Logger;
  env?: Record<string, string | undefined>;
  /** Told the replica's pool once it is open (the process's metrics). */
  onPool?: (pool: ConnectionPoolStats) => void;
}): Promise<OpenReplica<TStore> | undefined> {
  const { name, config, logger, env = process.env } = options;
  const url = replicaUrl(name, env);
  if (!url) return undefined;
  const seconds = readYourWritesSeconds(name, env);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error (read-your-writes marks)'));
  // Connected before the first request, so the first writes' marks are not lost to a connection still opening.
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis unavailable at start: reporting reads stay on the primary until it is back'));
  const store = options.createStore(url, { ...config.databasePool, ...(options.onPool ? { onPool: options.onPool } : {}) });
  logger.info({ readYourWritesSeconds: seconds }, 'reporting reads use the read replica');
  return {
    store,
    // Per subgraph: each one's marks say what its own replica may not have yet.
    recentWrites: redisRecentWrites(redis, recentWritePrefix(config.redisKeyPrefix, name), seconds),
    async close() {
      await store.$disconnect();
      redis.disconnect();
    },
  };
}
