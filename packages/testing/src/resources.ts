import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { SUBGRAPHS, type SubgraphName } from '@harbour/config';
import { Redis } from 'ioredis';
import { migrate } from '@harbour/prisma';
import mariadb from 'mariadb';

export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name no other test run uses: databases and Redis prefixes are made from it and removed after. */
export function uniqueRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function testDatabaseUrls(runId: string): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPHS.map((name) => {
      const url = new URL(MYSQL_URL);
      url.pathname = `/hbt_${runId}_${name}`;
      return [name, url.toString()];
    }),
  ) as Record<SubgraphName, string>;
}

/** `<SUBGRAPH>_DATABASE_URL` for each store. */
export function databaseEnv(urls: Record<SubgraphName, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [`${name.toUpperCase()}_DATABASE_URL`, url]));
}

export async function dropDatabases(urls: Iterable<string>): Promise<void> {
  const server = new URL(MYSQL_URL);
  const connection = await mariadb.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username) || 'root',
    password: decodeURIComponent(server.password),
  });
  try {
    for (const url of urls) {
      const name = new URL(url).pathname.slice(1);
      await connection.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '')}\``);
    }
  } finally {
    await connection.end();
  }
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
    redis.disconnect();
  }
}

/** Ports nothing listens on right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * A fresh database of `store`, migrated, with a client made by
 * `createClient`; `drop` removes the database and disconnects.
 */
export async function createTestDatabase<C extends { $executeRawUnsafe(query: string): PromiseLike<number>; $disconnect(): Promise<void> }>(
  store: SubgraphName,
  createClient: (url: string) => C,
): Promise<{ url: string; database: string; client: C; drop: () => Promise<void> }> {
  const database = `hbt_${uniqueRunId()}_${store}`;
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
