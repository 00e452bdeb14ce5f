import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as mariadb from 'mariadb';
import { poolConfigFromUrl } from '../../adapter';
import { lockName } from '../lock';
import { DatabaseUnreachableError, migrate, MigrationError, resolveMigration } from '../runner';
import { copyMigrations, fixtureMigrationsPath, query, recordingLogger, TestDatabases } from './testDatabase';

const INIT = '20261122000000_init';
const databases = new TestDatabases();
afterAll(() => databases.dropAll());

const quiet = () => recordingLogger();
// Frozen folders holding only INIT (see fixtures/README.md): what these tests
// expect must not change when the real stores gain migrations.
const USER_MIGRATIONS = fixtureMigrationsPath('user');
const SOCIAL_MIGRATIONS = fixtureMigrationsPath('social');
const databaseOf = (url: string) => new URL(url).pathname.slice(1);

describe('migrate', () => {
  it('creates the database and _prisma_migrations as Prisma does, and records the migration', async () => {
    const url = databases.url('user');
    const logger = quiet();

    const result = await migrate('user', url, { logger, migrationsDir: USER_MIGRATIONS });

    expect(result).toEqual({ store: 'user', database: databaseOf(url), applied: [INIT], alreadyApplied: 0 });
    expect(logger.warnings).toEqual([]);

    const [schema] = await query(url, 'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()');
    expect(schema).toEqual({ cs: 'utf8mb4', co: 'utf8mb4_unicode_ci' });

    // As MariaDB 10.11 prints them (MySQL 8 says `int unsigned` and null for no default).
    const columns = await query(
      url,
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_KEY AS k
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_prisma_migrations' ORDER BY ORDINAL_POSITION`,
    );
    expect(columns).toEqual([
      { name: 'id', type: 'varchar(36)', nullable: 'NO', dflt: null, k: 'PRI' },
      { name: 'checksum', type: 'varchar(64)', nullable: 'NO', dflt: null, k: '' },
      { name: 'finished_at', type: 'datetime(3)', nullable: 'YES', dflt: 'NULL', k: '' },
      { name: 'migration_name', type: 'varchar(255)', nullable: 'NO', dflt: null, k: '' },
      { name: 'logs', type: 'text', nullable: 'YES', dflt: 'NULL', k: '' },
      { name: 'rolled_back_at', type: 'datetime(3)', nullable: 'YES', dflt: 'NULL', k: '' },
      { name: 'started_at', type: 'datetime(3)', nullable: 'NO', dflt: 'current_timestamp(3)', k: '' },
      { name: 'applied_steps_count', type: 'int(10) unsigned', nullable: 'NO', dflt: '0', k: '' },
    ]);

    const rows = await query(url, 'SELECT * FROM _prisma_migrations');
    const file = readFileSync(path.join(USER_MIGRATIONS, INIT, 'migration.sql'));
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        checksum: createHash('sha256').update(file).digest('hex'),
        finished_at: expect.any(Date),
        migration_name: INIT,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      },
    ]);
    // Stamped in UTC, as Prisma does.
    expect(Math.abs((rows[0].started_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('does nothing when run again', async () => {
    const url = databases.url('social');
    await migrate('social', url, { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS });

    expect(await migrate('social', url, { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS })).toEqual({
      store: 'social',
      database: databaseOf(url),
      applied: [],
      alreadyApplied: 1,
    });
    expect(await query(url, 'SELECT migration_name FROM _prisma_migrations')).toEqual([{ migration_name: INIT }]);
  });

  it('applies only the migrations added since the last run, in folder order', async () => {
    const url = databases.url('social');
    const scratch = copyMigrations('social', SOCIAL_MIGRATIONS);
    try {
      await migrate('social', url, { logger: quiet(), migrationsDir: scratch.dir });
      for (const [name, sql] of [
        ['20261124000000_second', 'CREATE TABLE `second` (`id` INT NOT NULL, PRIMARY KEY (`id`));'],
        ['20261123000000_first', '-- a note only: nothing to run\n'],
      ] as const) {
        const folder = path.join(scratch.dir, name);
        mkdirSync(folder);
        writeFileSync(path.join(folder, 'migration.sql'), sql);
      }

      const result = await migrate('social', url, { logger: quiet(), migrationsDir: scratch.dir });

      expect(result.applied).toEqual(['20261123000000_first', '20261124000000_second']);
      expect(result.alreadyApplied).toBe(1);
      const rows = await query(url, 'SELECT migration_name, applied_steps_count, finished_at IS NOT NULL AS done FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((row) => [row.migration_name, row.applied_steps_count, Number(row.done)])).toEqual([
        [INIT, 1, 1],
        ['20261123000000_first', 1, 1],
        ['20261124000000_second', 1, 1],
      ]);
    } finally {
      scratch.remove();
    }
  });

  it('warns, without failing, about an applied migration that was edited or is no longer on disk', async () => {
    const url = databases.url('social');
    const scratch = copyMigrations('social', SOCIAL_MIGRATIONS);
    try {
      await migrate('social', url, { logger: quiet(), migrationsDir: scratch.dir });
      appendFileSync(path.join(scratch.dir, INIT, 'migration.sql'), '\n-- edited after it was applied\n');
      await query(url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at) VALUES (UUID(), 'x', '20261101000000_gone', UTC_TIMESTAMP(3))`);
      const logger = quiet();

      const result = await migrate('social', url, { logger, migrationsDir: scratch.dir });

      expect(result.applied).toEqual([]);
      expect(logger.warnings).toEqual([
        expect.stringMatching(/^Migration 20261122000000_init was modified after it was applied/),
        expect.stringMatching(/^Migration 20261101000000_gone is recorded as applied but is not in the migrations folder/),
      ]);
    } finally {
      scratch.remove();
    }
  });

  it('refuses a database that has tables but no history, until it is baselined with resolve --applied', async () => {
    const url = databases.url('social');
    await migrate('social', url, { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS });
    await query(url, 'DROP TABLE _prisma_migrations');

    const refusal = migrate('social', url, { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS });
    await expect(refusal).rejects.toMatchObject({ code: 'DATABASE_NOT_EMPTY' });
    await expect(refusal).rejects.toThrow(
      /has tables \(friend_links\) but no _prisma_migrations: baseline it .*`npm run db:migrate -- resolve --applied <migration_name> social`/,
    );

    await resolveMigration('social', url, INIT, 'applied', { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS });
    expect(await migrate('social', url, { logger: quiet(), migrationsDir: SOCIAL_MIGRATIONS })).toMatchObject({ applied: [], alreadyApplied: 1 });
    const [row] = await query(url, 'SELECT logs, applied_steps_count, finished_at IS NOT NULL AS done FROM _prisma_migrations');
    expect(row).toEqual({ logs: '', applied_steps_count: 0, done: 1 });
  });

  describe('advisory lock', () => {
    async function holdLock(url: string) {
      const { connectionLimit: _l, acquireTimeout: _a, database: _d, ...config } = poolConfigFromUrl(url);
      const connection = await mariadb.createConnection(config);
      const [row] = await connection.query('SELECT GET_LOCK(?, 0) AS acquired', [lockName(databaseOf(url))]);
      expect(Number(row.acquired)).toBe(1);
      return connection;
    }

    it('fails clearly when another runner holds the lock for longer than the timeout', async () => {
      const url = databases.url('social');
      const holder = await holdLock(url);
      try {
        const run = migrate('social', url, { logger: quiet(), lockTimeoutSeconds: 1, migrationsDir: SOCIAL_MIGRATIONS });
        await expect(run).rejects.toBeInstanceOf(MigrationError);
        await expect(run).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
        await expect(run).rejects.toThrow(/another migration of this database is running/);
      } finally {
        await holder.end();
      }
      // Nothing was applied while waiting.
      expect(await query(url, "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")).toEqual([{ n: 0n }]);
    });

    it('waits for the lock, then applies, and releases it afterwards', async () => {
      const url = databases.url('social');
      const holder = await holdLock(url);
      const run = migrate('social', url, { logger: quiet(), lockTimeoutSeconds: 30, migrationsDir: SOCIAL_MIGRATIONS });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('SELECT RELEASE_LOCK(?)', [lockName(databaseOf(url))]);
      await expect(run).resolves.toMatchObject({ applied: [INIT] });

      const [row] = await holder.query('SELECT IS_FREE_LOCK(?) AS free', [lockName(databaseOf(url))]);
      expect(Number(row.free)).toBe(1);
      await holder.end();
    });
  });

  it('says in one line how to start MySQL when it cannot be reached, without the password', async () => {
    const run = migrate('user', 'mysql://root:s3cret@127.0.0.1:1/hb_t_unreachable_user', { logger: quiet() });
    await expect(run).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(run).rejects.toHaveProperty(
      'message',
      'Cannot reach MySQL at 127.0.0.1:1: start MariaDB/MySQL (e.g. start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set MYSQL_URL.',
    );
  });
});
