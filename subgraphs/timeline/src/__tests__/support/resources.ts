/**
 * Real MariaDB for this subgraph's tests, under a database name no other run
 * uses (as tests/support/resources.ts does), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '@harbour/prisma';
import { createTimelineStore, type TimelineStore } from '@harbour/prisma/timeline';

export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestStore {
  url: string;
  store: TimelineStore;
  drop(): Promise<void>;
}

/** A fresh, migrated timeline database and a client of it. */
export async function createTestStore(): Promise<TestStore> {
  const database = `hbt_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_timeline`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  await migrate('timeline', url.toString(), { logger: { info: () => undefined, warn: () => undefined } });
  const store = createTimelineStore(url.toString());
  return {
    url: url.toString(),
    store,
    async drop() {
      await store.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${database}\``);
      await store.$disconnect();
    },
  };
}

/** Polls `check` until it holds: events are applied asynchronously. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
