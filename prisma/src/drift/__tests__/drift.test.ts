import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '@harbour/config';
import { migrate, migrateAll } from '../../migrate/runner';
import { copyMigrations, query, realMigrationNames, recordingLogger, TestDatabases } from '../../migrate/__tests__/testDatabase';
import { checkDrift } from '..';

const databases = new TestDatabases();
afterAll(() => databases.dropAll());

describe('checkDrift', () => {
  it('finds no drift in any of the six stores after migrating fresh databases', async () => {
    const env = databases.env(SUBGRAPHS);

    const results = await migrateAll(env, { logger: recordingLogger() });

    // Each fresh database got every migration in its store's real folder, oldest first.
    const onDisk = SUBGRAPHS.map((store) => [store, realMigrationNames(store)] as const);
    expect(onDisk.map(([store, names]) => [store, names[0]])).toEqual(SUBGRAPHS.map((store) => [store, '20261122000000_init']));
    expect(results.map((result) => [result.store, result.applied])).toEqual(onDisk);
    for (const store of SUBGRAPHS) {
      expect({ store, drift: await checkDrift(store, env[`${store.toUpperCase()}_DATABASE_URL`]!) }).toEqual({ store, drift: [] });
    }
  });

  it('reports a column that a hand-written migration forgot', async () => {
    const url = databases.url('user');
    const scratch = copyMigrations('user');
    try {
      const file = path.join(scratch.dir, '20261122000000_init', 'migration.sql');
      const sql = readFileSync(file, 'utf8');
      const forgetful = sql.replace(/^\s*`display_name` VARCHAR\(50\) NOT NULL,\n/m, '');
      expect(forgetful).not.toBe(sql);
      writeFileSync(file, forgetful);
      await migrate('user', url, { logger: recordingLogger(), migrationsDir: scratch.dir });

      expect(await checkDrift('user', url)).toEqual(['Column `users`.`display_name` (User.displayName) is missing.']);
    } finally {
      scratch.remove();
    }
  });

  it('reports wrong types, nullability, indexes, keys, and what the model lacks', async () => {
    const url = databases.url('payment');
    await migrate('payment', url, { logger: recordingLogger() });
    await query(
      url,
      [
        'ALTER TABLE `accounts` MODIFY `currency` CHAR(4) NOT NULL',
        'ALTER TABLE `accounts` MODIFY `owner_id` VARCHAR(40) NOT NULL',
        "ALTER TABLE `transfers` MODIFY `status` ENUM('COMPLETED', 'PENDING') NOT NULL DEFAULT 'COMPLETED'",
        'ALTER TABLE `refunds` ADD COLUMN `note` TEXT NULL',
        'ALTER TABLE `payments` DROP INDEX `payments_payer_user_id_completed_at_idx`',
        'ALTER TABLE `payments` ADD INDEX `payments_extra_idx` (`amount`)',
        'ALTER TABLE `refunds` DROP FOREIGN KEY `refunds_payment_id_fkey`',
        'ALTER TABLE `payments` DROP FOREIGN KEY `payments_payment_request_id_fkey`',
        'ALTER TABLE `payments` ADD CONSTRAINT `payments_payment_request_id_fkey` FOREIGN KEY (`payment_request_id`) REFERENCES `payment_requests`(`id`) ON DELETE CASCADE ON UPDATE CASCADE',
        'CREATE TABLE `stray` (`id` INT NOT NULL, PRIMARY KEY (`id`))',
      ].join(';\n'),
    );

    const drift = await checkDrift('payment', url);

    expect(drift.sort()).toEqual(
      [
        'Column `accounts`.`currency` (Account.currency) is char(4); the model wants char(3).',
        'Column `accounts`.`owner_id` (Account.ownerId) is NOT NULL; the model wants nullable.',
        "Column `transfers`.`status` (Transfer.status) is enum('COMPLETED','PENDING'); the model wants enum('COMPLETED').",
        'Column `refunds`.`note` is in the database but not in model Refund.',
        'Table `payments` lacks an index on (payer_user_id, completed_at) (model Payment).',
        'Table `payments` has an index `payments_extra_idx` on (amount) that model Payment does not declare.',
        'Table `refunds` lacks a foreign key (payment_id) → payments(id) ON DELETE RESTRICT ON UPDATE CASCADE (model Refund).',
        'Table `payments` has a foreign key `payments_payment_request_id_fkey` (payment_request_id) → payment_requests(id) ON DELETE CASCADE ON UPDATE CASCADE; the model wants ON DELETE RESTRICT ON UPDATE CASCADE.',
        'Table `stray` is in the database but no model maps to it.',
      ].sort(),
    );
  });

  it('tells a MariaDB JSON column from a plain LONGTEXT one, and a missing table', async () => {
    const url = databases.url('timeline');
    await migrate('timeline', url, { logger: recordingLogger() });
    expect(await checkDrift('timeline', url)).toEqual([]);

    await query(url, 'ALTER TABLE `timeline_entries` MODIFY `params` LONGTEXT NOT NULL');
    expect(await checkDrift('timeline', url)).toEqual(['Column `timeline_entries`.`params` (TimelineEntry.params) is longtext; the model wants json.']);

    await query(url, 'DROP TABLE `timeline_entries`');
    expect(await checkDrift('timeline', url)).toEqual(['Table `timeline_entries` (model TimelineEntry) is missing.']);
  });
});
