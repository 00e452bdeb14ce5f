import type { Connection } from 'mariadb';
import { errorCodeSuffix, isUnreachable, MigrationError, oneLine, serverMessage } from './errors';
import { hasStatements, type MigrationFolder } from './folders';
import { recordMigrationFailed, recordMigrationFinished, recordMigrationStarted } from './history';
import { resolveCommand } from './options';
import type { StoreContext } from './plan';

/**
 * Applies one migration as `prisma migrate deploy` does: record it as
 * started, run the whole file as one multi-statement script, then record it
 * as finished, or leave it unfinished with the error in `logs`. MySQL commits
 * each DDL statement as it goes, so a script that fails half-way cannot be
 * rolled back; that is why a failed record stops every later run until an
 * operator resolves it.
 *
 * Scripts are sent as they are: `DELIMITER` (a mysql-client command) does not
 * work here, exactly as with Prisma.
 */
export async function applyMigration(connection: Connection, migration: MigrationFolder, context: StoreContext): Promise<void> {
  const id = await recordMigrationStarted(connection, migration.name, migration.checksum);
  try {
    if (hasStatements(migration.script)) await connection.query(migration.script);
  } catch (err) {
    throw await failure(connection, id, migration.name, context, err);
  }
  await recordMigrationFinished(connection, id);
}

async function failure(connection: Connection, id: string, name: string, context: StoreContext, err: unknown): Promise<MigrationError> {
  const { store, database } = context;
  const reason = oneLine(`${serverMessage(err)}${errorCodeSuffix(err)}`);
  const resolve = `\`${resolveCommand(name, store)}\``;
  if (isUnreachable(err)) {
    // Nothing can be written now; the record stays unfinished, which the next run treats as failed.
    return new MigrationError(
      `Lost the connection while applying migration ${name} of store ${store} (database ${database}): ${reason}. ` +
        `Part of it may have run; check the database, then mark it with ${resolve}.`,
      'MIGRATION_FAILED',
      { cause: err },
    );
  }
  const errno = (err as { errno?: number }).errno;
  const logs = `${errno ? `Database error code: ${errno}\n\n` : ''}Database error:\n${serverMessage(err)}\n`;
  await recordMigrationFailed(connection, id, logs).catch(() => undefined);
  return new MigrationError(
    `Migration ${name} of store ${store} failed in database ${database}: ${reason}. ` +
      `It is recorded as failed and statements before the failing one stay applied (MySQL cannot roll back DDL). ` +
      `Fix the database or the migration, then mark it with ${resolve}.`,
    'MIGRATION_FAILED',
    { cause: err },
  );
}
