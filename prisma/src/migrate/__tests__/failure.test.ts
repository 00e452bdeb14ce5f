import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrate, MigrationError, resolveMigration } from '../runner';
import { copyMigrations, fixtureMigrationsPath, query, recordingLogger, TestDatabases } from './testDatabase';

const INIT = '20261122000000_init';
const BROKEN = '20261123000000_add_nickname';
const databases = new TestDatabases();
// A copy of the frozen folder holding only INIT (see fixtures/README.md), so
// that the history and counts below do not change when the real store gains migrations.
const scratch = copyMigrations('user', fixtureMigrationsPath('user'));
afterAll(async () => {
  scratch.remove();
  await databases.dropAll();
});

function writeMigration(name: string, sql: string) {
  mkdirSync(path.join(scratch.dir, name), { recursive: true });
  writeFileSync(path.join(scratch.dir, name, 'migration.sql'), sql);
}

const run = (url: string) => migrate('user', url, { logger: recordingLogger(), migrationsDir: scratch.dir });
const history = (url: string) =>
  query(
    url,
    `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolledBack,
            applied_steps_count AS steps, logs FROM _prisma_migrations ORDER BY started_at, name`,
  );

describe('a migration that fails', () => {
  const url = databases.url('user');

  it('is recorded with its error in logs and no finished_at, and stops the run', async () => {
    writeMigration(
      BROKEN,
      'ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(20) NULL;\nALTER TABLE `no_such_table` ADD COLUMN `x` INT NULL;\n',
    );

    const failure = run(url);

    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    await expect(failure).rejects.toThrow(
      `Migration ${BROKEN} of store user failed in database ${new URL(url).pathname.slice(1)}: Table`,
    );
    await expect(failure).rejects.toThrow(`\`npm run db:migrate -- resolve --applied|--rolled-back ${BROKEN} user\``);
    await expect(failure).rejects.toHaveProperty('message', expect.not.stringContaining('\n'));

    const rows = await history(url);
    expect(rows).toEqual([
      { name: INIT, finished: 1, rolledBack: 0, steps: 1, logs: null },
      { name: BROKEN, finished: 0, rolledBack: 0, steps: 0, logs: expect.stringContaining("no_such_table' doesn't exist") },
    ]);
    expect(rows[1].logs).toMatch(/^Database error code: 1146\n/);
    // MySQL commits DDL as it goes: the statement before the failing one stays applied.
    expect(await query(url, "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'nickname'")).toHaveLength(1);
  });

  it('makes later runs refuse to proceed until it is resolved, even once the file is fixed', async () => {
    writeMigration(BROKEN, 'ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(20) NULL;\n');
    writeMigration('20261124000000_later', 'CREATE TABLE `later` (`id` INT NOT NULL, PRIMARY KEY (`id`));\n');

    const refusal = run(url);

    await expect(refusal).rejects.toMatchObject({ code: 'FAILED_MIGRATION_FOUND' });
    await expect(refusal).rejects.toThrow(`Store user (database ${new URL(url).pathname.slice(1)}) has a failed migration: ${BROKEN}, started `);
    await expect(refusal).rejects.toThrow(
      `fix the database by hand, then mark it with \`npm run db:migrate -- resolve --applied|--rolled-back ${BROKEN} user\``,
    );
    expect(await history(url)).toHaveLength(2);
  });

  it('refuses to be marked applied while it is already applied, or rolled back when it did not fail', async () => {
    await expect(resolveMigration('user', url, INIT, 'applied', { migrationsDir: scratch.dir, logger: recordingLogger() })).rejects.toThrow(
      `Migration ${INIT} of store user is already recorded as applied.`,
    );
    await expect(resolveMigration('user', url, INIT, 'rolled-back', { logger: recordingLogger() })).rejects.toMatchObject({
      code: 'RESOLVE_REFUSED',
    });
    await expect(
      resolveMigration('user', url, '20261199000000_unknown', 'applied', { migrationsDir: scratch.dir, logger: recordingLogger() }),
    ).rejects.toThrow(/is not in .*check the name/);
  });

  it('runs again after the operator undoes it and marks it rolled back', async () => {
    await query(url, 'ALTER TABLE `users` DROP COLUMN `nickname`');

    await resolveMigration('user', url, BROKEN, 'rolled-back', { logger: recordingLogger() });
    const result = await run(url);

    expect(result).toMatchObject({ applied: [BROKEN, '20261124000000_later'], alreadyApplied: 1 });
    expect(await history(url)).toEqual([
      { name: INIT, finished: 1, rolledBack: 0, steps: 1, logs: null },
      { name: BROKEN, finished: 0, rolledBack: 1, steps: 0, logs: expect.stringContaining('no_such_table') },
      { name: BROKEN, finished: 1, rolledBack: 0, steps: 1, logs: null },
      { name: '20261124000000_later', finished: 1, rolledBack: 0, steps: 1, logs: null },
    ]);
  });

  it('is skipped from then on after the operator completes it by hand and marks it applied', async () => {
    const name = '20261125000000_twice';
    writeMigration(name, 'ALTER TABLE `users` ADD COLUMN `a` INT NULL;\nALTER TABLE `users` ADD COLUMN `a` INT NULL;\n');
    await expect(run(url)).rejects.toThrow(/Duplicate column name 'a'/);

    await resolveMigration('user', url, name, 'applied', { migrationsDir: scratch.dir, logger: recordingLogger() });
    const logger = recordingLogger();
    const result = await migrate('user', url, { logger, migrationsDir: scratch.dir });

    expect(result).toMatchObject({ applied: [], alreadyApplied: 4 });
    expect(logger.warnings).toEqual([]);
    const rows = (await history(url)).filter((row) => row.name === name);
    expect(rows).toEqual([
      { name, finished: 0, rolledBack: 1, steps: 0, logs: expect.stringContaining("Duplicate column name 'a'") },
      { name, finished: 1, rolledBack: 0, steps: 0, logs: '' },
    ]);
  });
});
