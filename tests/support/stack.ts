import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@harbour/config';
import { postGraphQL, type GraphQLResponse, type RequestOptions } from './graphql-client';
import { databaseEnv, deleteRedisPrefix, dropDatabases, freePorts, REDIS_URL, testDatabaseUrls, uniqueRunId } from '@harbour/testing';

export interface RunningStack {
  gatewayUrl: string;
  ports: Record<string, number>;
  env: Record<string, string>;
  output: () => string;
  graphql<TData = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Starts the whole stack the way `npm start` does (scripts/start.ts: migrate,
 * six subgraphs, gateway) on free ports, with its own databases, Redis
 * prefix and key folder, and removes them all on stop.
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const runId = uniqueRunId();
  const databases = testDatabaseUrls(runId);
  const names = ['gateway', ...SUBGRAPHS];
  const portList = await freePorts(names.length);
  const ports = Object.fromEntries(names.map((name, index) => [name, portList[index]!]));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-test-'));
  const redisKeyPrefix = `hbt:${runId}:`;
  const env: Record<string, string> = {
    ...databaseEnv(databases),
    ...Object.fromEntries(names.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_SUBGRAPH_URL`, `http://127.0.0.1:${ports[name]}/graphql`])),
    HARBOUR_DATA_DIR: dataDir,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
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
    await dropDatabases(Object.values(databases));
    await deleteRedisPrefix(redisKeyPrefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The stack exited while starting:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The stack did not become ready in 90 s:\n${output}`);
    }
    try {
      const [ready, subgraphs] = await Promise.all([
        fetch(`http://127.0.0.1:${ports.gateway}/health/ready`),
        fetch(`http://127.0.0.1:${ports.gateway}/health/subgraphs`),
      ]);
      if (ready.ok && subgraphs.ok) break;
    } catch {
      // not up yet
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
