import { SUBGRAPHS } from '@harbour/config';
import { lines, runCli } from './cliProcess';
import { query, TestDatabases } from './testDatabase';

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
    const rows = await query(url, 'SELECT migration_name, finished_at IS NOT NULL AS done FROM _prisma_migrations');
    expect(rows).toEqual([{ migration_name: '20261122000000_init', done: 1 }]);
    // One of the two applied it; the other found it done once it had the lock.
    const reports = [first, second].map((run) => lines(run.stdout).find((line) => line.startsWith(`${store}: `)));
    expect(reports.filter((line) => line?.includes('applied 20261122000000_init'))).toHaveLength(1);
    expect(reports.filter((line) => line?.includes('is up to date (1 migration)'))).toHaveLength(1);
  }
});
