import path from 'node:path';
import { z } from 'zod';
import { ConfigError, logLevel, port, positiveInt, readVar, url } from './env';
import { DEFAULT_PORTS, SUBGRAPHS, type SubgraphName } from './subgraphs';

type Env = Record<string, string | undefined>;

/** `sandbox` (the default for local runs) allows `topUpWallet`; `production` does not. */
export type Mode = 'sandbox' | 'production';

/** The repository's root, where the ignored `.data/` folder lives. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface CommonConfig {
  mode: Mode;
  logLevel: z.infer<typeof logLevel>;
  /** Where a local run keeps generated keys (ignored by git). */
  dataDir: string;
  redisUrl: string;
  /** Every Redis key Harbour writes starts with this (tests use a unique one per run). */
  redisKeyPrefix: string;
  jwt: { issuer: string; audience: string };
  /** Each store's connection pool in this process (and its replica's). */
  databasePool: DatabasePoolConfig;
}

/**
 * One process's pool of connections to its store. Small by default, so that
 * a developer's `npm start` (six subgraphs) and the test suite's stacks fit
 * side by side in MariaDB's default `max_connections` (151); production sets
 * it for its load (k8s/). The pool grows to `connectionLimit` under load and shrinks
 * back to `minIdle` after `idleSeconds` without use.
 */
export interface DatabasePoolConfig {
  /** `DATABASE_POOL_SIZE`: connections at most (default 5). */
  connectionLimit: number;
  /** `DATABASE_POOL_MIN_IDLE`: connections kept open while idle (default 1, at least 1: the driver grows the pool by keeping this many spare). */
  minIdle: number;
  /** `DATABASE_POOL_IDLE_SECONDS`: how long an idle connection above `minIdle` is kept (default 60). */
  idleSeconds: number;
}

export const DEFAULT_DATABASE_POOL: DatabasePoolConfig = { connectionLimit: 5, minIdle: 1, idleSeconds: 60 };

export function databasePoolConfig(env: Env = process.env): DatabasePoolConfig {
  const size = readVar(env, 'DATABASE_POOL_SIZE', positiveInt, DEFAULT_DATABASE_POOL.connectionLimit);
  // At least 1: the mariadb driver opens a connection only while fewer than `minimumIdle` are idle, so with 0 it never opens one.
  const minIdle = readVar(env, 'DATABASE_POOL_MIN_IDLE', positiveInt, Math.min(DEFAULT_DATABASE_POOL.minIdle, size));
  if (minIdle > size) throw new ConfigError(`DATABASE_POOL_MIN_IDLE (${minIdle}) must not be more than DATABASE_POOL_SIZE (${size}).`);
  return { connectionLimit: size, minIdle, idleSeconds: readVar(env, 'DATABASE_POOL_IDLE_SECONDS', positiveInt, DEFAULT_DATABASE_POOL.idleSeconds) };
}

export function commonConfig(env: Env = process.env): CommonConfig {
  return {
    mode: readVar(env, 'HARBOUR_MODE', z.enum(['sandbox', 'production']), 'sandbox'),
    logLevel: readVar(env, 'LOG_LEVEL', logLevel, 'info'),
    dataDir: readVar(env, 'HARBOUR_DATA_DIR', z.string(), path.join(REPO_ROOT, '.data')),
    redisUrl: readVar(env, 'REDIS_URL', url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379'),
    redisKeyPrefix: readVar(env, 'REDIS_KEY_PREFIX', z.string().regex(/^[A-Za-z0-9:_-]+$/), 'harbour:'),
    jwt: {
      issuer: readVar(env, 'JWT_ISSUER', z.string(), 'harbour'),
      audience: readVar(env, 'JWT_AUDIENCE', z.string(), 'harbour-api'),
    },
    databasePool: databasePoolConfig(env),
  };
}

/** Where a process sends its OpenTelemetry spans, and as which service. */
export interface TracingConfig {
  /** `service.name` of every span: `OTEL_SERVICE_NAME`, else `harbour-<service>`. */
  serviceName: string;
  /**
   * Where spans are exported (OTLP over HTTP, JSON): `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
   * as it is, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` (the standard
   * OpenTelemetry variables). None: no spans are made at all (they would cost
   * about a tenth of a process's CPU, mostly in async context tracking, for
   * nothing), but trace ids still reach every service's log lines through `traceparent`.
   */
  tracesEndpoint: string | undefined;
}

export function tracingConfig(service: SubgraphName | 'gateway', env: Env = process.env): TracingConfig {
  return {
    serviceName: readVar(env, 'OTEL_SERVICE_NAME', z.string().min(1), `harbour-${service}`),
    tracesEndpoint:
      readVar(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', url(['http:', 'https:']).optional()) ??
      readVar(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', url(['http:', 'https:']).transform((base) => `${base.replace(/\/+$/, '')}/v1/traces`).optional()),
  };
}

const envPrefix = (name: SubgraphName) => name.toUpperCase();

/** The port a service listens on: `<NAME>_PORT`, else the contract's default. */
export function servicePort(name: SubgraphName | 'gateway', env: Env = process.env): number {
  return readVar(env, `${name.toUpperCase()}_PORT`, port, DEFAULT_PORTS[name]);
}

/**
 * Base URL of a subgraph's internal paths, for the subgraphs that may call
 * them (service-boundaries.md): `variable` (e.g. `USER_INTERNAL_URL`) if set,
 * else the subgraph on this machine at its port.
 */
export function internalUrl(name: SubgraphName, variable: string, env: Env = process.env): string {
  return readVar(env, variable, url(['http:', 'https:']), `http://127.0.0.1:${servicePort(name, env)}`);
}

/**
 * The subgraph's database URL: `<SUBGRAPH>_DATABASE_URL` if set, else
 * `MYSQL_URL` (default `mysql://root@127.0.0.1:3306`) with the database
 * `harbour_<subgraph>`.
 */
export function databaseUrl(name: SubgraphName, env: Env = process.env): string {
  const own = `${envPrefix(name)}_DATABASE_URL`;
  const explicit = readVar(env, own, url(['mysql:', 'mariadb:']).optional());
  if (explicit) {
    if (databaseNameOf(explicit) === '') throw new ConfigError(`${own} is malformed: it names no database.`);
    return explicit;
  }
  const server = new URL(readVar(env, 'MYSQL_URL', url(['mysql:', 'mariadb:']), 'mysql://root@127.0.0.1:3306'));
  server.pathname = `/harbour_${name}`;
  return server.toString();
}

/** `<SUBGRAPH>_REPLICA_URL`: a read replica for reporting reads, if any. */
export function replicaUrl(name: SubgraphName, env: Env = process.env): string | undefined {
  return readVar(env, `${envPrefix(name)}_REPLICA_URL`, url(['mysql:', 'mariadb:']).optional());
}

/** `<SUBGRAPH>_READ_YOUR_WRITES_SECONDS`: with a replica, how long after a write its subject's reports stay on the primary (default 10). */
export function readYourWritesSeconds(name: SubgraphName, env: Env = process.env): number {
  return readVar(env, `${envPrefix(name)}_READ_YOUR_WRITES_SECONDS`, positiveInt, 10);
}

export function databaseNameOf(databaseUrlValue: string): string {
  return decodeURIComponent(new URL(databaseUrlValue).pathname.replace(/^\//, ''));
}

/** Where the gateway sends a subgraph's requests when the environment overrides the supergraph's URL. */
export function subgraphUrlOverride(name: string, env: Env = process.env): string | undefined {
  return readVar(env, `${name.toUpperCase()}_SUBGRAPH_URL`, url(['http:', 'https:']).optional());
}

export function allSubgraphDatabaseUrls(env: Env = process.env): Record<SubgraphName, string> {
  return Object.fromEntries(SUBGRAPHS.map((name) => [name, databaseUrl(name, env)])) as Record<SubgraphName, string>;
}
