import * as mariadb from 'mariadb';
import { poolConfigFromUrl } from '../adapter';
import { isUnreachable, MigrationError, serverMessage, unreachable } from './errors';

/** Where a database URL points, in words that are safe to print (no user, no password). */
export interface Target {
  hostPort: string;
  database: string;
}

export function targetOf(databaseUrl: string): Target {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const hostPort = `${url.hostname}:${url.port || '3306'}`;
  if (!database) throw new MigrationError(`The database URL for ${hostPort} names no database.`, 'DATABASE_MISSING');
  return { hostPort, database };
}

/** A MySQL identifier in backticks, safe for any name. */
export const quoteIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export interface ConnectOptions {
  /** Open the connection inside the URL's database (it must exist) rather than on the bare server. */
  useDatabase: boolean;
  /** Lets one `query` run a whole migration file. Only migration scripts are sent unparameterised. */
  multipleStatements?: boolean;
}

/**
 * One connection (not a pool): the advisory lock belongs to a session, so
 * everything a runner does must go through the same connection.
 */
export async function connect(databaseUrl: string, options: ConnectOptions): Promise<mariadb.Connection> {
  const target = targetOf(databaseUrl);
  // Reuse the adapter's reading of the URL so both see the same server; drop the pool-only settings.
  const { connectionLimit: _limit, acquireTimeout: _acquire, database, host, ...config } = poolConfigFromUrl(databaseUrl);
  try {
    return await mariadb.createConnection({
      ...config,
      // URL keeps IPv6 literals in brackets; sockets want them bare.
      host: host?.replace(/^\[(.*)\]$/, '$1'),
      ...(options.useDatabase ? { database } : {}),
      multipleStatements: options.multipleStatements ?? false,
    });
  } catch (err) {
    if (isUnreachable(err)) throw unreachable(target.hostPort, err);
    if ((err as { code?: unknown }).code === 'ER_BAD_DB_ERROR') {
      throw new MigrationError(
        `Database ${target.database} does not exist at ${target.hostPort}: run \`npm run db:migrate\` first.`,
        'DATABASE_MISSING',
        { cause: err },
      );
    }
    // Refused by the server (wrong user or password, too many connections...): say where, in its words.
    throw new Error(`Cannot connect to MySQL at ${target.hostPort}: ${serverMessage(err)}`, { cause: err });
  }
}

/** Closes a connection without letting a dead socket hide the error that brought us here. */
export async function close(connection: mariadb.Connection): Promise<void> {
  try {
    await connection.end();
  } catch {
    connection.destroy();
  }
}
