import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { DEFAULT_DATABASE_POOL, type DatabasePoolConfig } from '@harbour/config';
import type { Pool, PoolConfig } from 'mariadb';

/** A process's pool (`commonConfig().databasePool`, see @harbour/config), each part optional here. */
export interface PoolOptions extends Partial<DatabasePoolConfig> {
  /** Statements run on every new connection, e.g. a shorter `innodb_lock_wait_timeout`. */
  sessionSql?: string[];
  /** Told the driver's pool once Prisma has opened it (a subgraph's metrics report its use). */
  onPool?: (pool: Pool) => void;
}

/** The adapter, telling `onPool` of the pool it opens (the adapter keeps its pool to itself otherwise). */
class ObservedMariaDb extends PrismaMariaDb {
  constructor(
    config: PoolConfig,
    private readonly onPool: (pool: Pool) => void,
  ) {
    super(config, { useTextProtocol: true });
  }

  override async connect() {
    const adapter = await super.connect();
    this.onPool(adapter.underlyingDriver());
    return adapter;
  }
}

/**
 * Connection settings for the mariadb driver from a `mysql://user:pass@host:port/db` URL.
 * `?ssl=true` connects over TLS and verifies the server's certificate against Node's CAs
 * (managed servers such as Azure Database for MySQL require TLS).
 */
export function poolConfigFromUrl(databaseUrl: string, options: PoolOptions = {}): PoolConfig {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const connectionLimit = options.connectionLimit ?? Number(url.searchParams.get('connection_limit') ?? DEFAULT_DATABASE_POOL.connectionLimit);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    ...(database ? { database } : {}),
    connectionLimit,
    // The driver's default keeps the whole pool open from the start: six subgraphs, a test stack or two and a
    // developer's own `npm start` would then hold MariaDB's default 151 connections between them while idle.
    minimumIdle: Math.min(options.minIdle ?? DEFAULT_DATABASE_POOL.minIdle, connectionLimit),
    idleTimeout: options.idleSeconds ?? DEFAULT_DATABASE_POOL.idleSeconds,
    // Every timestamp is stored in UTC.
    timezone: 'Z',
    // Fail fast when the server is not there rather than hanging a request.
    connectTimeout: 5_000,
    acquireTimeout: 10_000,
    ...(options.sessionSql?.length ? { initSql: options.sessionSql } : {}),
    ...(url.searchParams.get('ssl') === 'true' ? { ssl: { rejectUnauthorized: true } } : {}),
  };
}

/**
 * The Prisma driver adapter for one store, on the text protocol: one command
 * per statement (parameters escaped by the driver). The adapter's default,
 * the binary protocol with its prepared-statement cache off, sends prepare,
 * execute and close for every statement — three commands where one does,
 * measured as most of MariaDB's CPU per request in `npm run bench:gateway`.
 * A prepared-statement cache is no way out: Prisma's SQL varies (IN lists of
 * every length), and cached statements across pods run into the server's
 * `max_prepared_stmt_count`.
 */
export function mariadbAdapter(databaseUrl: string, options: PoolOptions = {}): PrismaMariaDb {
  const config = poolConfigFromUrl(databaseUrl, options);
  return options.onPool ? new ObservedMariaDb(config, options.onPool) : new PrismaMariaDb(config, { useTextProtocol: true });
}
