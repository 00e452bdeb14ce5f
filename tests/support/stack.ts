import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@harbour/config';
import { postGraphQL, type GraphQLResponse, type RequestOptions } from './graphql-client';
import { databaseEnv, deleteRedisPrefix, dropDatabases, freePorts, REDIS_URL, startAzurite, testDatabaseUrls, uniqueRunId } from '@harbour/testing';

export interface RunningStack {
  gatewayUrl: string;
  ports: Record<string, number>;
  env: Record<string, string>;
  output: () => string;
  graphql<TData = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');
/** How long a starting stack may go without progress, and how long it may take in all, before the test gives up. */
const STALL_MS = 90_000;
const MAX_START_MS = 300_000;

/**
 * A `beforeAll` that starts stacks: `ms`, the hook's budget for its own work,
 * plus the longest a stack's start may be waited for on a loaded machine.
 */
export const stackStartTimeout = (ms: number) => ms + MAX_START_MS;

/**
 * Starts the whole stack the way `npm start` does (scripts/start.ts: migrate,
 * six subgraphs, gateway) on free ports, with its own databases, Redis
 * prefix, key folder and Azurite, and removes them all on stop.
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const runId = uniqueRunId();
  const databases = testDatabaseUrls(runId);
  const names = ['gateway', ...SUBGRAPHS];
  const portList = await freePorts(names.length);
  const ports = Object.fromEntries(names.map((name, index) => [name, portList[index]!]));
  const azurite = await startAzurite();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-test-'));
  const redisKeyPrefix = `hbt:${runId}:`;
  const env: Record<string, string> = {
    ...databaseEnv(databases),
    ...Object.fromEntries(names.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_SUBGRAPH_URL`, `http://127.0.0.1:${ports[name]}/graphql`])),
    HARBOUR_DATA_DIR: dataDir,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    PASSWORD_SCRYPT_COST: '14',
    LOG_LEVEL: 'warn',
    // Tests drive traffic no person could, all from 127.0.0.1: rate limits are out of the way unless a test sets its own.
    ...Object.fromEntries(['PER_USER', 'PER_IP', 'SENSITIVE_PER_USER', 'SENSITIVE_PER_IP'].map((limit) => [`GATEWAY_RATE_LIMIT_${limit}`, '1000000'])),
    ...extraEnv,
  };
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await azurite.stop();
    await dropDatabases(Object.values(databases));
    await deleteRedisPrefix(redisKeyPrefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  // On a loaded machine (the suite beside a developer's own stack) a start takes longer: the wait goes on while the
  // stack makes progress (a new line of output, another subgraph up) and gives up only when it has made none for
  // STALL_MS, or after MAX_START_MS in all.
  const started = Date.now();
  let lastProgress = started;
  let seen = { output: 0, up: 0 };
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The stack exited while starting:\n${output}`);
    }
    const now = Date.now();
    if (now - lastProgress > STALL_MS || now - started > MAX_START_MS) {
      await stop();
      throw new Error(`The stack did not become ready (${Math.round((now - started) / 1000)} s, the last ${Math.round((now - lastProgress) / 1000)} s without progress):\n${output}`);
    }
    let up = seen.up;
    try {
      const [ready, subgraphs] = await Promise.all([
        fetch(`http://127.0.0.1:${ports.gateway}/health/ready`),
        fetch(`http://127.0.0.1:${ports.gateway}/health/subgraphs`),
      ]);
      if (ready.ok && subgraphs.ok) break;
      const status = (await subgraphs.json().catch(() => ({}))) as { subgraphs?: Record<string, unknown> } & Record<string, unknown>;
      up = JSON.stringify(status).split('"up"').length - 1;
    } catch {
      // not up yet
    }
    if (output.length > seen.output || up > seen.up) {
      seen = { output: output.length, up };
      lastProgress = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    gatewayUrl,
    ports,
    env,
    output: () => output,
    graphql: (query, variables, options) => postGraphQL(gatewayUrl, query, variables, options),
    stop,
  };
}
