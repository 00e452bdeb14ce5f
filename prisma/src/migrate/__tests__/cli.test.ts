import { lines, runCli, upToDateLine } from './cliProcess';
import { realMigrationNames, TestDatabases } from './testDatabase';

const databases = new TestDatabases();
afterAll(() => databases.dropAll());

describe('npm run db:migrate', () => {
  it('migrates one store with --store and prints one line for it', async () => {
    const env = databases.env(['payment']);
    const database = new URL(env.PAYMENT_DATABASE_URL!).pathname.slice(1);
    // Every migration in prisma/payment/migrations, oldest first: the CLI runs the real folder.
    const names = realMigrationNames('payment');
    expect(names[0]).toBe('20261122000000_init');

    const first = await runCli(['--store', 'payment'], env);
    expect(first).toEqual({ code: 0, stdout: `payment: applied ${names.join(', ')} to ${database}\n`, stderr: '' });

    const again = await runCli(['--store', 'payment'], env);
    expect(again).toEqual({ code: 0, stdout: `${upToDateLine('payment', database, names.length)}\n`, stderr: '' });

    const resolve = await runCli(['resolve', '--rolled-back', '20261122000000_init', 'payment'], env);
    expect(resolve).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Migration 20261122000000_init of store payment cannot be marked rolled back: it is not recorded as failed.\n',
    });
  });

  it('exits 1 with one line, and no password, when MySQL cannot be reached', async () => {
    const run = await runCli([], { MYSQL_URL: 'mysql://root:s3cret@127.0.0.1:1' });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Cannot reach MySQL at 127.0.0.1:1: start MariaDB/MySQL (e.g. start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set MYSQL_URL.\n',
    });
  });

  it('exits 1 with one line on a usage error', async () => {
    for (const args of [['resolve', '--applied', '20261122000000_init'], ['--store', 'nope'], ['resolve', '--applied', '--rolled-back', 'x', 'user']]) {
      const run = await runCli(args, {});
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toHaveLength(1);
    }
  });
});
