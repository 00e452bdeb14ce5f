/**
 * Test support (not a test file): databases with unique names on the real
 * server, dropped afterwards, so that runs in parallel never meet.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mariadb from 'mariadb';
import type { SubgraphName } from '@harbour/config';
import { poolConfigFromUrl } from '../../adapter';
import { migrationsPath } from '../../paths';
import { readMigrationFolders } from '../folders';

/** The repository root, where node_modules/.bin/tsx lives. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const PRISMA_ROOT = path.join(REPO_ROOT, 'prisma');

const SERVER_URL = (process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');

/** Hands out `hb_t_<random>_<store>` database URLs and drops every one of them in `dropAll`. */
export class TestDatabases {
  private readonly names: string[] = [];

  url(store: string): string {
    const name = `hb_t_${randomBytes(5).toString('hex')}_${store}`;
    this.names.push(name);
    return `${SERVER_URL}/${name}`;
  }

  /** `<STORE>_DATABASE_URL` for every store, as @harbour/config reads them. */
  env(stores: readonly SubgraphName[]): Record<string, string> {
    return Object.fromEntries(stores.map((store) => [`${store.toUpperCase()}_DATABASE_URL`, this.url(store)]));
  }

  async dropAll(): Promise<void> {
    const connection = await mariadb.createConnection(serverConfig());
    try {
      for (const name of this.names.splice(0)) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await connection.end();
    }
  }
}

function serverConfig(): mariadb.ConnectionConfig {
  const { connectionLimit: _l, acquireTimeout: _a, ...config } = poolConfigFromUrl(SERVER_URL);
  return config;
}

/** One query on a fresh connection to the database in `databaseUrl`. */
export async function query<T = Record<string, unknown>[]>(databaseUrl: string, sql: string, values?: unknown[]): Promise<T> {
  const { connectionLimit: _l, acquireTimeout: _a, ...config } = poolConfigFromUrl(databaseUrl);
  const connection = await mariadb.createConnection({ ...config, multipleStatements: true });
  try {
    return (await connection.query(sql, values)) as T;
  } finally {
    await connection.end();
  }
}

/**
 * The migrations in the store's real folder, oldest first. The real folders
 * keep growing: tests that run them (the CLI, the drift check) derive what
 * they expect from this rather than hard-code it.
 */
export const realMigrationNames = (store: SubgraphName) => readMigrationFolders(migrationsPath(store)).map((folder) => folder.name);

/** Stores with a frozen migrations folder under fixtures/ (see fixtures/README.md). */
export type FixtureStore = Extract<SubgraphName, 'user' | 'social'>;

/**
 * A frozen copy of the store's migrations folder holding only its first migration, 20261122000000_init:
 * for tests that count migrations or list tables, so that they do not change
 * when the real store gains a migration. Pass it as `migrationsDir`.
 */
export const fixtureMigrationsPath = (store: FixtureStore) => path.join(__dirname, 'fixtures', store, 'migrations');

/**
 * A scratch copy of a migrations folder, to edit without touching the
 * original: by default the store's real one, or `source` (e.g. a fixture).
 */
export function copyMigrations(store: SubgraphName, source = migrationsPath(store)): { dir: string; remove: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), `hb-migrations-${store}-`));
  const dir = path.join(root, 'migrations');
  cpSync(source, dir, { recursive: true });
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A logger that remembers what it was told. */
export function recordingLogger() {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    info: (_fields: Record<string, unknown>, message: string) => void infos.push(message),
    warn: (_fields: Record<string, unknown>, message: string) => void warnings.push(message),
  };
}
