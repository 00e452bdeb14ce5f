/**
 * `npm run bench:subscriptions`: N concurrent graphql-ws subscribers on one
 * gateway process (the stack started as `npm start` does), all subscribed to
 * NotificationAdded for one user (a merchant's many devices), then one
 * notification is made (a top-up). Prints, per N, the time to open the
 * sockets, the gateway's resident memory with them open, and the delivery
 * latency — from sending the mutation that causes the notification to each
 * subscriber receiving it (p50/p99 over the N subscribers).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { contractOperation as op } from '../tests/support/contract';
import { ok, signUp } from '../tests/support/actors';
import { startStack } from '../tests/support/stack';

const STEPS = (process.env.BENCH_SUBSCRIBERS ?? '100,1000,10000').split(',').map(Number);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function gatewayRssMiB(port: number): number {
  const pids = execFileSync('pgrep', ['-f', 'gateway/src/main.ts'], { encoding: 'utf8' }).trim().split('\n');
  for (const pid of pids) {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    if (!environ.includes(`GATEWAY_PORT=${port}\0`)) continue;
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(rss) / 1024;
  }
  return NaN;
}

async function main() {
  const stack = await startStack({ LOG_LEVEL: 'error' });
  try {
    const user = await signUp(stack, 'Many Devices');
    const url = stack.gatewayUrl.replace(/^http/, 'ws');
    const rows: string[] = [];
    console.log(`gateway RSS before any socket: ${gatewayRssMiB(stack.ports.gateway!).toFixed(0)} MiB`);
    for (const n of STEPS) {
      const received: number[] = [];
      let expected = n;
      let done!: () => void;
      const allArrived = new Promise<void>((resolve) => (done = resolve));
      const clients: Client[] = [];
      const openedAt = performance.now();
      let connected = 0;
      let allConnected!: () => void;
      const connectedPromise = new Promise<void>((resolve) => (allConnected = resolve));
      for (let i = 0; i < n; i++) {
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${user.token}` },
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          on: { connected: () => ++connected === n && allConnected() },
        });
        clients.push(client);
        client.subscribe({ query: op('NotificationAdded') }, {
          next: () => {
            received.push(performance.now());
            if (received.length === expected) done();
          },
          error: () => undefined,
          complete: () => undefined,
        });
        if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await connectedPromise;
      const openMs = performance.now() - openedAt;
      // Let every subscribe message reach the gateway before the event.
      await new Promise((resolve) => setTimeout(resolve, 1_000 + n / 5));
      const rss = gatewayRssMiB(stack.ports.gateway!);

      const sentAt = performance.now();
      ok(await stack.graphql(op('TopUpWallet'), { input: { amount: '1.00', idempotencyKey: randomUUID() } }, { token: user.token }));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([allArrived, new Promise<void>((resolve) => (timer = setTimeout(resolve, 60_000)))]);
      clearTimeout(timer);
      expected = -1;
      const latencies = received.map((at) => at - sentAt).sort((a, b) => a - b);
      const row = `| ${n} | ${(openMs / 1000).toFixed(1)} s | ${rss.toFixed(0)} MiB | ${received.length} | ${latencies.length ? percentile(latencies, 50).toFixed(0) : '-'} ms | ${latencies.length ? percentile(latencies, 99).toFixed(0) : '-'} ms |`;
      console.log(row);
      rows.push(row);
      await Promise.all(clients.map((client) => client.dispose()));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log('| subscribers | time to open | gateway RSS | delivered | p50 | p99 |\n| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) console.log(row);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
