/**
 * Deciding what to run from the folders on disk and the records in
 * `_prisma_migrations`, following `prisma migrate deploy`: a failed record
 * stops everything; a migration with a record that is not rolled back is
 * done; the rest run in folder order. Pure functions, no I/O.
 */
import { MigrationError, oneLine } from './errors';
import { checksumMatches, type MigrationFolder } from './folders';
import { isApplied, isFailed, type MigrationRecord } from './history';
import { resolveCommand } from './options';

export interface StoreContext {
  store: string;
  database: string;
}

export interface Plan {
  pending: MigrationFolder[];
  /** Migrations on disk that the database already has. */
  alreadyApplied: number;
  /** Things Prisma also only warns about: they do not stop a deploy. */
  warnings: { migration: string; message: string }[];
}

/** Longest excerpt of a failure's logs quoted in an error message. */
const LOG_EXCERPT = 300;

/** The server's message from our logs (or Prisma's), else the logs on one line. */
function logExcerpt(logs: string): string {
  const marker = 'Database error:';
  const at = logs.lastIndexOf(marker);
  const text = at >= 0 ? logs.slice(at + marker.length) : logs;
  return oneLine(text).slice(0, LOG_EXCERPT);
}

export function refuseIfFailed(records: MigrationRecord[], { store, database }: StoreContext): void {
  const failed = records.filter(isFailed);
  if (failed.length === 0) return;
  const details = failed
    .map((record) => {
      const logs = record.logs?.trim() ? `: ${logExcerpt(record.logs)}` : ' (no logs: the runner stopped while applying it)';
      return `${record.migrationName}, started ${record.startedAt.toISOString()}${logs}`;
    })
    .join('; ');
  const name = failed.length === 1 ? failed[0].migrationName : '<migration_name>';
  throw new MigrationError(
    `Store ${store} (database ${database}) has a failed migration: ${details}. ` +
      `No migration runs until it is resolved: fix the database by hand, then mark it with ` +
      `\`${resolveCommand(name, store)}\` (--rolled-back if you undid its changes, so that it runs again; --applied if you completed it by hand).`,
    'FAILED_MIGRATION_FOUND',
  );
}

export function planMigrations(folders: MigrationFolder[], records: MigrationRecord[]): Plan {
  const applied = records.filter(isApplied);
  const appliedNames = new Set(applied.map((record) => record.migrationName));
  const onDisk = new Map(folders.map((folder) => [folder.name, folder]));
  const warnings: Plan['warnings'] = [];

  const reported = new Set<string>();
  for (const record of applied) {
    if (reported.has(record.migrationName)) continue;
    const folder = onDisk.get(record.migrationName);
    if (!folder) {
      reported.add(record.migrationName);
      warnings.push({
        migration: record.migrationName,
        message: `Migration ${record.migrationName} is recorded as applied but is not in the migrations folder (deleted, renamed, or this checkout is older than the database).`,
      });
    } else if (!checksumMatches(folder, record.checksum)) {
      reported.add(record.migrationName);
      warnings.push({
        migration: record.migrationName,
        message: `Migration ${record.migrationName} was modified after it was applied: the database has the old version; write a new migration for the change instead.`,
      });
    }
  }

  const pending = folders.filter((folder) => !appliedNames.has(folder.name));
  return { pending, alreadyApplied: folders.length - pending.length, warnings };
}
