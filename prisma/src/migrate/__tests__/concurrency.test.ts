import { SUBGRAPHS } from '@harbour/config';
import { lines, runCli, upToDateLine } from './cliProcess';
import { query, realMigrationNames, TestDatabases } from './testDatabase';

const databases = new TestDatabases();
afterAll(() => databases.dropAll());

it('two runners started at once apply each migration exactly once', async () => {
  const env = databases.env(SUBGRAPHS);

  const [first, second] = await Promise.all([runCli([], env), runCli([], env)]);

  for (const run of [first, second]) {
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(lines(run.stdout)).toHaveLength(SUBGRAPHS.length);
  }
  for (const store of SUBGRAPHS) {
    const url = env[`${store.toUpperCase()}_DATABASE_URL`]!;
    const database = new URL(url).pathname.slice(1);
    // The CLI runs the store's real folder: every migration in it, oldest first.
    const names = realMigrationNames(store);
    expect(names[0]).toBe('20261122000000_init');
    const rows = await query<{ migration_name: string; done: number }[]>(url, 'SELECT migration_name, finished_at IS NOT NULL AS done FROM _prisma_migrations');
    // Sorted as the folders are (by code unit), not by the table's collation.
    rows.sort((a, b) => (a.migration_name < b.migration_name ? -1 : a.migration_name > b.migration_name ? 1 : 0));
    expect(rows).toEqual(names.map((name) => ({ migration_name: name, done: 1 })));
    // One of the two applied them all; the other found them done once it had the lock.
    const reports = [first, second].map((run) => lines(run.stdout).find((line) => line.startsWith(`${store}: `)));
    expect(reports.filter((line) => line === `${store}: applied ${names.join(', ')} to ${database}`)).toHaveLength(1);
    expect(reports.filter((line) => line === upToDateLine(store, database, names.length))).toHaveLength(1);
  }
});
