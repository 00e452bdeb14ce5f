import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { GatewayMetrics } from '../observability/metrics';
import { RedisOutage } from '../redis-outage';

export interface ApqStoreOptions {
  redis: Redis;
  /** Every key starts with it (REDIS_KEY_PREFIX). */
  redisKeyPrefix: string;
  logger: Logger;
  metrics?: GatewayMetrics | undefined;
  /** Bytes of query text kept in this process (default 16 MiB). */
  localBytes?: number;
}

/**
 * Automatic persisted queries shared by every gateway replica through Redis,
 * with an in-process LRU in front. An APQ key is the sha256 of its text
 * (Apollo checks that before registering), so a copy is never stale: reads
 * try this process first, then Redis; writes go to both. When Redis fails,
 * the in-process copy carries on alone (`redisFailures{component="apq"}`),
 * so APQ keeps working on each replica by itself.
 */
export class ApqStore implements KeyValueCache<string> {
  private readonly local: InMemoryLRUCache<string>;
  private readonly outage: RedisOutage;

  constructor(private readonly options: ApqStoreOptions) {
    this.local = new InMemoryLRUCache<string>({ maxSize: options.localBytes ?? 16 * 1024 * 1024 });
    this.outage = new RedisOutage({ component: 'apq', logger: options.logger, metrics: options.metrics });
  }

  async get(key: string): Promise<string | undefined> {
    const local = await this.local.get(key);
    if (local !== undefined) return local;
    const shared = await this.redis((redis) => redis.get(this.redisKey(key)));
    if (shared == null) return undefined;
    await this.local.set(key, shared);
    return shared;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.local.set(key, value, options);
    const ttl = options?.ttl;
    await this.redis((redis) => (ttl ? redis.set(this.redisKey(key), value, 'EX', ttl) : redis.set(this.redisKey(key), value)));
  }

  async delete(key: string): Promise<boolean> {
    await this.redis((redis) => redis.del(this.redisKey(key)));
    return this.local.delete(key);
  }

  private redisKey(key: string): string {
    return `${this.options.redisKeyPrefix}${key}`;
  }

  /** One Redis command; a failure is counted and logged (throttled) and reads as nothing. */
  private async redis<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    try {
      const result = await command(this.options.redis);
      this.outage.succeeded();
      return result;
    } catch (error) {
      this.outage.failed(error);
      return undefined;
    }
  }
}
