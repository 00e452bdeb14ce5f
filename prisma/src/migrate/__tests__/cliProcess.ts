/** Test support (not a test file): runs the migrate CLI in a child process, as `npm run db:migrate` does. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SubgraphName } from '@harbour/config';
import { PRISMA_ROOT, REPO_ROOT } from './testDatabase';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** The child sees only the database settings given here, never the ones of the test run. */
export function runCli(args: string[], databaseEnv: Record<string, string>): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...databaseEnv };
  for (const name of Object.keys(env)) {
    if ((name.endsWith('_DATABASE_URL') || name === 'MYSQL_URL') && !(name in databaseEnv)) delete env[name];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/migrate/cli.ts', ...args], { cwd: PRISMA_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

/** The CLI's line, word for word, for a store whose database already had all `count` migrations on disk. */
export const upToDateLine = (store: SubgraphName, database: string, count: number) =>
  `${store}: ${database} is up to date (${count === 1 ? '1 migration' : `${count} migrations`})`;
