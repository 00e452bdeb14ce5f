import type { SubgraphName } from '@harbour/config';
import type { Connection } from 'mariadb';
import { migrationsPath } from '../paths';
import { close, connect, targetOf } from './connection';
import { MigrationError } from './errors';
import { readMigrationFolders } from './folders';
import {
  createMigrationsTable,
  insertAppliedRecord,
  isFailed,
  listMigrationRecords,
  markRolledBack,
  MIGRATIONS_TABLE,
  tableNames,
} from './history';
import { lockName, withAdvisoryLock } from './lock';
import { DEFAULT_LOCK_TIMEOUT_SECONDS, loggerOf, type MigrateOptions } from './options';

export type ResolveHow = 'applied' | 'rolled-back';

/**
 * `prisma migrate resolve`: how an operator closes a failed migration.
 *
 * - `applied`: the changes are in the database (completed by hand, or the
 *   database was created some other way: a baseline). Failed records of that
 *   migration are marked rolled back and a finished record is added, so it
 *   never runs. Creates `_prisma_migrations` if missing, for baselining.
 * - `rolled-back`: the partial changes were undone; the failed record is
 *   marked rolled back, so the next `migrate` runs the migration again.
 */
export async function resolveMigration(
  store: SubgraphName,
  databaseUrl: string,
  name: string,
  how: ResolveHow,
  options: MigrateOptions = {},
): Promise<void> {
  const { database } = targetOf(databaseUrl);
  const connection = await connect(databaseUrl, { useDatabase: true });
  try {
    const timeout = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
    await withAdvisoryLock(connection, lockName(database), timeout, () =>
      how === 'applied'
        ? markApplied(connection, store, name, options.migrationsDir ?? migrationsPath(store))
        : markRolledBackMigration(connection, store, name),
    );
  } finally {
    await close(connection);
  }
  loggerOf(options).info({ store, database, migration: name }, `Marked migration as ${how}`);
}

async function markApplied(connection: Connection, store: string, name: string, dir: string): Promise<void> {
  const migration = readMigrationFolders(dir).find((folder) => folder.name === name);
  if (!migration) {
    throw new MigrationError(`Migration ${name} is not in ${dir}: check the name (it is the folder's name).`, 'RESOLVE_REFUSED');
  }
  if (!(await tableNames(connection)).includes(MIGRATIONS_TABLE)) await createMigrationsTable(connection);
  const records = (await listMigrationRecords(connection)).filter((record) => record.migrationName === name);
  if (records.some((record) => record.finishedAt !== null)) {
    throw new MigrationError(`Migration ${name} of store ${store} is already recorded as applied.`, 'RESOLVE_REFUSED');
  }
  for (const record of records.filter(isFailed)) await markRolledBack(connection, record.id);
  await insertAppliedRecord(connection, name, migration.checksum);
}

async function markRolledBackMigration(connection: Connection, store: string, name: string): Promise<void> {
  const hasHistory = (await tableNames(connection)).includes(MIGRATIONS_TABLE);
  const failed = hasHistory
    ? (await listMigrationRecords(connection)).filter((record) => record.migrationName === name && isFailed(record))
    : [];
  if (failed.length === 0) {
    throw new MigrationError(
      `Migration ${name} of store ${store} cannot be marked rolled back: it is not recorded as failed.`,
      'RESOLVE_REFUSED',
    );
  }
  for (const record of failed) await markRolledBack(connection, record.id);
}
