/**
 * The `_prisma_migrations` table, read and written exactly as Prisma's
 * migrate does for MySQL, so that a team can switch to `prisma migrate deploy`
 * on the same database without losing its history. Every statement runs on
 * the caller's connection, inside the caller's advisory lock. Timestamps are
 * UTC_TIMESTAMP(3): Prisma writes UTC, whatever the session's time zone.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mariadb';

export const MIGRATIONS_TABLE = '_prisma_migrations';

/** Prisma's own definition (schema-engine, MySQL flavour), plus IF NOT EXISTS. */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

export interface MigrationRecord {
  id: string;
  checksum: string;
  finishedAt: Date | null;
  migrationName: string;
  logs: string | null;
  rolledBackAt: Date | null;
  startedAt: Date;
  appliedStepsCount: number;
}

/** Started and neither finished nor rolled back: Prisma's definition of a failed migration. */
export const isFailed = (record: MigrationRecord) => record.finishedAt === null && record.rolledBackAt === null;
/** Counts as applied: Prisma skips any migration with a record that is not rolled back. */
export const isApplied = (record: MigrationRecord) => record.finishedAt !== null && record.rolledBackAt === null;

/** The tables of the connection's current database, `_prisma_migrations` included. */
export async function tableNames(connection: Connection): Promise<string[]> {
  const rows: { name: string }[] = await connection.query(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
  );
  return rows.map((row) => String(row.name));
}

export async function createMigrationsTable(connection: Connection): Promise<void> {
  await connection.query(CREATE_TABLE);
}

export async function listMigrationRecords(connection: Connection): Promise<MigrationRecord[]> {
  const rows: Record<string, unknown>[] = await connection.query(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
       FROM ${MIGRATIONS_TABLE} ORDER BY started_at, migration_name`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    checksum: String(row.checksum),
    finishedAt: (row.finished_at as Date | null) ?? null,
    migrationName: String(row.migration_name),
    logs: row.logs == null ? null : String(row.logs),
    rolledBackAt: (row.rolled_back_at as Date | null) ?? null,
    startedAt: row.started_at as Date,
    appliedStepsCount: Number(row.applied_steps_count),
  }));
}

/** Before running a script: a record with no finished_at, which stays "failed" if we die half-way. */
export async function recordMigrationStarted(connection: Connection, name: string, checksum: string): Promise<string> {
  const id = randomUUID();
  await connection.query(
    `INSERT INTO ${MIGRATIONS_TABLE} (id, checksum, started_at, migration_name) VALUES (?, ?, UTC_TIMESTAMP(3), ?)`,
    [id, checksum, name],
  );
  return id;
}

/** Prisma counts the one script as one step, then stamps finished_at. */
export async function recordMigrationFinished(connection: Connection, id: string): Promise<void> {
  await connection.query(
    `UPDATE ${MIGRATIONS_TABLE} SET applied_steps_count = applied_steps_count + 1, finished_at = UTC_TIMESTAMP(3) WHERE id = ?`,
    [id],
  );
}

export async function recordMigrationFailed(connection: Connection, id: string, logs: string): Promise<void> {
  await connection.query(`UPDATE ${MIGRATIONS_TABLE} SET logs = ? WHERE id = ? AND finished_at IS NULL`, [logs, id]);
}

export async function markRolledBack(connection: Connection, id: string): Promise<void> {
  await connection.query(`UPDATE ${MIGRATIONS_TABLE} SET rolled_back_at = UTC_TIMESTAMP(3) WHERE id = ?`, [id]);
}

/** `migrate resolve --applied`: a finished record without running anything (Prisma leaves steps at 0, logs ''). */
export async function insertAppliedRecord(connection: Connection, name: string, checksum: string): Promise<void> {
  await connection.query(
    `INSERT INTO ${MIGRATIONS_TABLE} (id, checksum, logs, started_at, finished_at, migration_name)
     VALUES (?, ?, '', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), ?)`,
    [randomUUID(), checksum, name],
  );
}
