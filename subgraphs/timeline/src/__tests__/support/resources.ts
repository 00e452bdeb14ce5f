/**
 * Real MariaDB for this subgraph's tests, under a database name no other run
 * uses (as tests/support/resources.ts does), dropped afterwards.
 */
import { createTestDatabase } from '@harbour/testing';
import { createTimelineStore, type TimelineStore } from '@harbour/prisma/timeline';

export { MYSQL_URL } from '@harbour/testing';

export interface TestStore {
  url: string;
  store: TimelineStore;
  drop(): Promise<void>;
}

/** A fresh, migrated timeline database and a client of it. */
export async function createTestStore(): Promise<TestStore> {
  const { url, client, drop } = await createTestDatabase('timeline', createTimelineStore);
  return { url, store: client, drop };
}

/** Polls `check` until it holds: events are applied asynchronously. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
