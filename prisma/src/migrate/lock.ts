import { createHash } from 'node:crypto';
import type { Connection } from 'mariadb';
import { MigrationError } from './errors';

/** MySQL 5.7+ rejects lock names longer than 64 characters. */
const MAX_LOCK_NAME = 64;

/**
 * The advisory lock for one database. GET_LOCK names are server-wide, so the
 * name carries the database: runners of different stores (or of parallel
 * test databases) on one server do not wait for each other. Prisma's own
 * `prisma_migrate` lock is not shared with this one.
 */
export function lockName(database: string): string {
  const name = `harbour_migrate:${database}`;
  if (name.length <= MAX_LOCK_NAME) return name;
  return `harbour_migrate:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * Runs `work` while holding the advisory lock on this connection's session,
 * so that runners started together (pods, processes) apply each migration
 * once. The lock is released in `finally`; if the release itself fails, the
 * connection is broken and the server frees the lock when the session ends.
 */
export async function withAdvisoryLock<T>(
  connection: Connection,
  name: string,
  timeoutSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  const [row]: { acquired: unknown }[] = await connection.query('SELECT GET_LOCK(?, ?) AS acquired', [name, timeoutSeconds]);
  // 1 = ours; 0 = timed out; NULL = error (e.g. the session was killed while waiting).
  if (Number(row?.acquired) !== 1) {
    throw new MigrationError(
      `Could not take the migration lock ${name} within ${timeoutSeconds}s: another migration of this database is running (or stuck); try again when it has finished.`,
      'LOCK_TIMEOUT',
    );
  }
  try {
    return await work();
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
  }
}
