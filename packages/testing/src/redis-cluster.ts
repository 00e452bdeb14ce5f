import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { freePorts } from './resources';
import { waitUntil } from './waiting';

/** A real Redis Cluster of masters on local ports, started by a test (redis-server 7 and redis-cli on PATH or in /usr/bin). */
export interface TestRedisCluster {
  nodes: Array<{ host: string; port: number }>;
  /** A client of the cluster (disconnected by `stop`). */
  connect(options?: ClusterOptions): Promise<Cluster>;
  /** Kills the nodes and deletes their directory. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Starts `masters` (3 by default) redis-server processes with cluster mode on,
 * joins them with `redis-cli --cluster create` (no replicas) and waits until
 * every node says `cluster_state:ok`. The cluster bus port is chosen too
 * (`--cluster-port`), not left to be port + 10000, which may be taken.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hbt-redis-cluster-'));
  const ports = await freePorts(masters * 2);
  const nodes = ports.slice(0, masters).map((port) => ({ host: '127.0.0.1', port }));
  const processes: ChildProcess[] = [];
  const clients: Array<Redis | Cluster> = [];
  const stop = async () => {
    clients.forEach((client) => client.disconnect());
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    nodes.forEach(({ port }, i) => {
      const args = ['--port', String(port), '--cluster-port', String(ports[masters + i]), '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no');
      processes.push(spawn('redis-server', args, { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH}:/usr/bin` } }));
    });
    const admins = nodes.map(({ host, port }) => new Redis({ host, port, lazyConnect: true, retryStrategy: () => 50 }));
    admins.forEach((admin) => admin.on('error', () => undefined));
    clients.push(...admins);
    await waitUntil(async () => (await Promise.all(admins.map((admin) => admin.ping().catch(() => 'down')))).every((pong) => pong === 'PONG'), 'the Redis cluster nodes answer');
    await run('redis-cli', ['--cluster', 'create', ...nodes.map(({ host, port }) => `${host}:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const ok = async () => (await Promise.all(admins.map((admin) => admin.cluster('INFO') as Promise<string>))).every((info) => info.includes('cluster_state:ok'));
    await waitUntil(ok, 'every Redis cluster node says cluster_state:ok', 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    async connect(options = {}) {
      const cluster = new Cluster(nodes, options);
      clients.push(cluster);
      await new Promise<void>((resolve, reject) => {
        cluster.once('ready', resolve);
        cluster.once('error', reject);
      });
      return cluster;
    },
    stop,
  };
}
