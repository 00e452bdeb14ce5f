/**
 * The migration runner: `prisma migrate deploy` for machines that cannot
 * download Prisma's schema engine (see shared/notes/prisma-offline.md). It
 * applies each store's hand-written migrations and keeps `_prisma_migrations`
 * exactly as Prisma does.
 */
import { databaseUrl as storeDatabaseUrl, SUBGRAPHS, type SubgraphName } from '@harbour/config';
import type { Connection } from 'mariadb';
import { migrationsPath } from '../paths';
import { applyMigration } from './apply';
import { close, connect, quoteIdentifier, targetOf } from './connection';
import { MigrationError } from './errors';
import { readMigrationFolders } from './folders';
import { createMigrationsTable, listMigrationRecords, MIGRATIONS_TABLE, tableNames } from './history';
import { lockName, withAdvisoryLock } from './lock';
import { DEFAULT_LOCK_TIMEOUT_SECONDS, loggerOf, resolveCommand, type MigrateOptions } from './options';
import { planMigrations, refuseIfFailed, type StoreContext } from './plan';

export { MigrationError, DatabaseUnreachableError, type MigrationErrorCode } from './errors';
export { resolveMigration, type ResolveHow } from './resolve';
export type { MigrateLogger, MigrateOptions } from './options';

export interface MigrateResult {
  store: SubgraphName;
  database: string;
  /** Migrations this run applied, in order; empty when the database was up to date. */
  applied: string[];
  /** Migrations on disk that were already applied before this run. */
  alreadyApplied: number;
}

/** Brings one store's database up to date, creating the database if it does not exist. */
export async function migrate(store: SubgraphName, databaseUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const logger = loggerOf(options);
  const { database } = targetOf(databaseUrl);
  const context: StoreContext = { store, database };
  // Read the folders first: a broken checkout fails before anything touches the database.
  const folders = readMigrationFolders(options.migrationsDir ?? migrationsPath(store));

  const connection = await connect(databaseUrl, { useDatabase: false, multipleStatements: true });
  try {
    await ensureDatabase(connection, database);
    const timeout = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
    return await withAdvisoryLock(connection, lockName(database), timeout, async () => {
      await initializeHistory(connection, context);
      // Read inside the lock: another runner may just have applied everything.
      const records = await listMigrationRecords(connection);
      refuseIfFailed(records, context);
      const plan = planMigrations(folders, records);
      for (const warning of plan.warnings) logger.warn({ store, database, migration: warning.migration }, warning.message);

      const applied: string[] = [];
      for (const migration of plan.pending) {
        await applyMigration(connection, migration, context);
        applied.push(migration.name);
        logger.info({ store, database, migration: migration.name }, 'Applied migration');
      }
      return { store, database, applied, alreadyApplied: plan.alreadyApplied };
    });
  } finally {
    await close(connection);
  }
}

/** Every store, one after the other, at the URLs `@harbour/config` resolves from `env`. Stops at the first error. */
export async function migrateAll(
  env: Record<string, string | undefined> = process.env,
  options: Omit<MigrateOptions, 'migrationsDir'> = {},
): Promise<MigrateResult[]> {
  const results: MigrateResult[] = [];
  for (const store of SUBGRAPHS) results.push(await migrate(store, storeDatabaseUrl(store, env), options));
  return results;
}

/**
 * Creates the database as Prisma does (utf8mb4, utf8mb4_unicode_ci), only
 * when it is missing: a production user may lack the CREATE privilege for a
 * database that already exists. IF NOT EXISTS covers two runners racing here.
 */
async function ensureDatabase(connection: Connection, database: string): Promise<void> {
  const found: unknown[] = await connection.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
  if (found.length === 0) {
    await connection.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  await connection.query(`USE ${quoteIdentifier(database)}`);
}

/**
 * Creates `_prisma_migrations` in an empty database. Like Prisma, refuses a
 * database that has tables but no history: running the first migration on it
 * would fail half-way or, worse, succeed on top of unknown tables.
 */
async function initializeHistory(connection: Connection, { store, database }: StoreContext): Promise<void> {
  const tables = await tableNames(connection);
  if (tables.includes(MIGRATIONS_TABLE)) return;
  if (tables.length > 0) {
    const listed = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
    throw new MigrationError(
      `Database ${database} (store ${store}) has tables (${listed}) but no ${MIGRATIONS_TABLE}: ` +
        `baseline it by marking each migration it already contains with \`${resolveCommand('<migration_name>', store, '--applied')}\`.`,
      'DATABASE_NOT_EMPTY',
    );
  }
  await createMigrationsTable(connection);
}
