import { createLogger } from '@harbour/logger';

/**
 * What the runner reports besides its result. A pino logger fits; the CLI
 * passes one that prints warnings as plain lines.
 */
export interface MigrateLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MigrateOptions {
  /** Default: a `@harbour/logger` logger for the service `migrate`. */
  logger?: MigrateLogger;
  /**
   * How long to wait for another runner of the same database (default 60 s).
   * Prisma waits 10 s; pods of several services often start together and a
   * long migration can outlast that, so we wait longer before giving up.
   */
  lockTimeoutSeconds?: number;
  /** Read migrations from here instead of the store's own folder (tests, tooling). */
  migrationsDir?: string;
}

export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;

let defaultLogger: MigrateLogger | undefined;
export function loggerOf(options: MigrateOptions): MigrateLogger {
  return options.logger ?? (defaultLogger ??= createLogger('migrate'));
}

/** The command an operator runs to mark a failed migration; every refusal names it. */
export const resolveCommand = (name: string, store: string, how = '--applied|--rolled-back') =>
  `npm run db:migrate -- resolve ${how} ${name} ${store}`;
