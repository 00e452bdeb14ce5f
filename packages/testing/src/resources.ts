import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
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

/** Lowest port of the range the kernel takes for outgoing connections (Linux's default when it cannot be read). */
function ephemeralPortsFrom(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

/** Whether a service could listen on `port` right now (on every interface, as the services do). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

const LOWEST_TEST_PORT = 10_000;

/**
 * Ports nothing listens on right now, chosen at random below the kernel's
 * ephemeral range: a port the kernel picked (`listen(0)`) is one it may hand
 * next to any outgoing connection of a parallel test, and a service then
 * fails to start with EADDRINUSE (seen in CI). Never one this process has
 * handed out before, and each jest worker has its own slice of the range
 * (a stack's user subgraph once failed with EADDRINUSE on a port chosen
 * twice).
 */
export async function freePorts(count: number): Promise<number[]> {
  const { from, span } = portSlice();
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = from + Math.floor(Math.random() * span);
    if (!ports.has(port) && !handedOut.has(port) && (await canListen(port))) ports.add(port);
  }
  for (const port of ports) handedOut.add(port);
  return [...ports];
}

/**
 * Ports this process has handed out. Nothing listens on a port between being
 * chosen and its service starting, so without this a test that picks ports
 * for a stack's overrides (e.g. a proxied subgraph) could be handed one of
 * them again for another service of the same stack.
 */
const handedOut = new Set<number>();
/** Parallel jest workers choose from separate slices: two stacks starting at once never choose the same port. */
const WORKER_SLICES = 8;

function portSlice(): { from: number; span: number } {
  const span = ephemeralPortsFrom() - LOWEST_TEST_PORT;
  if (span < 1_000) throw new Error(`The ephemeral port range starts below ${LOWEST_TEST_PORT + 1_000}: no room for test ports below it.`);
  const worker = Number(process.env.JEST_WORKER_ID);
  // At least 1,000 ports a slice (Linux's default range gives 8 slices of 2,846).
  const slices = Math.min(WORKER_SLICES, Math.floor(span / 1_000));
  if (!Number.isInteger(worker) || worker < 1 || slices < 2) return { from: LOWEST_TEST_PORT, span };
  const slice = Math.floor(span / slices);
  return { from: LOWEST_TEST_PORT + ((worker - 1) % slices) * slice, span: slice };
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

/** The process listening on a local TCP port (`ss -ltnp`: a stack's services are grandchildren of the test). */
export function listeningPid(port: number): number {
  const pid = /pid=(\d+)/.exec(execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString())?.[1];
  if (!pid) throw new Error(`No process found listening on port ${port}.`);
  return Number(pid);
}
