/**
 * Real MariaDB and Redis for this package's tests, under names no other run
 * uses (as tests/support/resources.ts does), removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { SubgraphName } from '@harbour/config';
import { migrate } from '@harbour/prisma';
import { Redis } from 'ioredis';

export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function redisPort(): number {
  return Number(new URL(REDIS_URL).port || 6379);
}

/** A fresh, migrated database of `store`; `drop` removes it. */
export async function createTestDatabase<C extends { $executeRawUnsafe(query: string): PromiseLike<number>; $disconnect(): Promise<void> }>(
  store: SubgraphName,
  createClient: (url: string) => C,
): Promise<{ url: string; database: string; client: C; drop: () => Promise<void> }> {
  const database = `hbt_${uniqueRunId()}_ev_${store}`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  await migrate(store, url.toString(), { logger: { info: () => undefined, warn: () => undefined } });
  const client = createClient(url.toString());
  return {
    url: url.toString(),
    database,
    client,
    drop: async () => {
      await client.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${database}\``);
      await client.$disconnect();
    },
  };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
