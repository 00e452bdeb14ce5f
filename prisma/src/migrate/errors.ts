/**
 * Errors the migration runner throws. Each message is one line an operator can
 * act on: the CLI prints it as is, without a stack. No message ever contains
 * a password: servers are named by host:port and databases by name only.
 */

export type MigrationErrorCode =
  /** A migration's SQL failed; it is recorded as failed in `_prisma_migrations`. */
  | 'MIGRATION_FAILED'
  /** An earlier run left a failed migration that nobody has resolved yet. */
  | 'FAILED_MIGRATION_FOUND'
  /** Another runner held the advisory lock for longer than the timeout. */
  | 'LOCK_TIMEOUT'
  /** The migrations folder or one of its entries is not what Prisma expects. */
  | 'INVALID_MIGRATIONS'
  /** The database has tables but no `_prisma_migrations`: it needs a baseline. */
  | 'DATABASE_NOT_EMPTY'
  /** `resolve` was asked for something the history does not allow. */
  | 'RESOLVE_REFUSED'
  /** The database named in the URL does not exist (resolve and drift do not create it). */
  | 'DATABASE_MISSING';

export class MigrationError extends Error {
  override name = 'MigrationError';

  constructor(
    message: string,
    readonly code: MigrationErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** MySQL or MariaDB could not be reached at all: nothing was read or written. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

/** How to start the server on the project's machines (see shared/notes/prisma-offline.md). */
export const START_DATABASE_COMMAND = 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd';

export function unreachable(hostPort: string, cause: unknown): DatabaseUnreachableError {
  return new DatabaseUnreachableError(
    `Cannot reach MySQL at ${hostPort}: start MariaDB/MySQL (e.g. ${START_DATABASE_COMMAND}) or set MYSQL_URL.`,
    { cause },
  );
}

/** Network-level failures: the server is not there, as opposed to refusing us. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  // The mariadb driver's own codes for a connect that timed out or a socket that died.
  'ER_CONNECTION_TIMEOUT',
  'ER_SOCKET_UNEXPECTED_CLOSE',
  'ER_SOCKET',
  'ER_SOCKET_TIMEOUT',
]);

export function isUnreachable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && UNREACHABLE_CODES.has(String((err as { code?: unknown }).code));
}

interface DriverError {
  code?: string;
  errno?: number;
  sqlMessage?: string | null;
  message?: string;
}

/**
 * The server's own words for a driver error. The driver's `message` appends
 * the whole SQL text (`sql: ...`), which for a migration is the entire file,
 * so it is used only when the server sent no message.
 */
export function serverMessage(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverError;
  const text = e.sqlMessage ?? (e.message ?? String(err)).split('\nsql:')[0] ?? String(err);
  return text.replace(/^\(conn:[^)]*\)\s*/, '').trim();
}

/** `(1050 ER_TABLE_EXISTS_ERROR)` when the driver tells, else ''. */
export function errorCodeSuffix(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverError;
  const parts = [e.errno !== undefined && e.errno > 0 ? String(e.errno) : '', e.code ?? ''].filter(Boolean);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** One line: collapses the newlines a server or parser message may contain. */
export const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
