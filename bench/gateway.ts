/**
 * `npm run bench:gateway`: the same contract queries, on the same subgraphs
 * and data, through three gateways in one run — Harbour's, a plain
 * `@apollo/gateway` with default settings, and Hive Gateway — each doing the
 * same token check and signing the same identity for the subgraphs, none
 * caching responses. A separate load process keeps `BENCH_CONNECTIONS`
 * requests in flight for `BENCH_SECONDS` per gateway, round-robin over
 * `BENCH_ROUNDS` rounds (machines are noisy: compare within a run); the
 * median round per gateway is reported, with Harbour's ratios. Requests
 * come from many callers in turn, as real traffic does (Hive Gateway
 * shares identical in-flight subgraph requests by default; identical
 * requests from one caller would measure that, not the gateways).
 *
 * Each workload is measured twice: with the gateway under test sharing the
 * machine's cores with the subgraphs, MariaDB, Redis and the load, and with
 * it held to `BENCH_GATEWAY_CPUS` (0.5, its Deployment's CPU request) by a
 * CFS quota, as a replica in a pod is. Every line also shows the CPU per
 * request of every process that served it. Harbour's bar (1.5× the plain
 * Apollo Gateway's requests/s at an equal or better p99) is judged on the
 * held measurement, where the gateway is what limits throughput (checked:
 * the plain Apollo Gateway must use its whole quota); the shared-core one
 * measures the whole machine and is shown beside it (barVerdict).
 *
 * Every process runs compiled JavaScript on plain `node`, as in production:
 * Harbour's seven services from their production bundles (`npm run
 * build:service`, what the images run), the other two gateways and the load
 * generator compiled the same way (our TypeScript bundled, their packages
 * required from node_modules as they are). None runs under tsx, whose
 * module hooks and export getters cost every process a few percent.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePorts, listeningPid } from '@harbour/testing';
import { randomUUID } from 'node:crypto';
import { build, type Plugin } from 'esbuild';
import { SUBGRAPHS } from '@harbour/config';
import { contractOperation as op } from '../tests/support/contract';
import { ok, PASSWORD, signUp } from '../tests/support/actors';
import { startStack } from '../tests/support/stack';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Distinct merchants (callers), each with a business paid by every customer once. */
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 20);
const CUSTOMERS = 10;
/**
 * The second measurement holds each gateway to this much CPU (a CFS quota),
 * the gateway Deployment's CPU request (k8s/base/gateway): what one replica
 * serves decides how many the HPA runs. `0` skips it.
 */
const GATEWAY_CPUS = Number(process.env.BENCH_GATEWAY_CPUS ?? 0.5);
/** A short CFS period, so that a gateway out of quota waits ms, not the default 100 ms period. */
const CFS_PERIOD_US = 20_000;

interface LoadResult {
  /** CPU time the gateway's process spent per request (user + system), ms. */
  gatewayCpuMs: number;
  /** CPU time per request of everything else on the machine that serves it (subgraphs, MariaDB, Redis, the load generator), ms. */
  otherCpuMs: Record<string, number>;
  /** CPU time the load generator spent per request, ms. */
  loadCpuMs: number;
  requests: number;
  failures: number;
  firstFailure?: string;
  rps: number;
  p50: number;
  p99: number;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** CPU time a process has used so far (user + system), ms. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

const ROOT = path.join(__dirname, '..');
/** Everything this run compiles, removed at its end. */
const BUILD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-bench-'));

/** Harbour's seven services as their images run them: `npm run build:service -- <name> --out <dir>/<name>` each. */
function buildServiceBundles(): string {
  const dir = path.join(BUILD_DIR, 'services');
  for (const service of [...SUBGRAPHS, 'gateway']) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-service.ts', service, '--out', path.join(dir, service)], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build:service ${service} failed:\n${result.stderr}`);
  }
  return dir;
}

/**
 * Our sources inlined, with each `__dirname` kept as the source file's own
 * folder (the compiled file lives elsewhere); every package other than
 * Harbour's workspace ones (TypeScript, which plain node cannot load) is
 * left to `require`, as it is, by the absolute path it resolves to from the
 * importing source, so each process loads exactly the files it loads from source.
 */
const compileSources: Plugin = {
  name: 'harbour-sources',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@harbour/') ? undefined : { path: createRequire(path.join(args.resolveDir, 'index.js')).resolve(args.path), external: true },
    );
    esbuild.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      return { contents: source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))), loader: 'ts' };
    });
  },
};

/** The bench's own scripts, each compiled to one CommonJS file for plain `node`. */
const SCRIPTS = ['gateway/apollo.ts', 'gateway/hive.ts', 'gateway/load.ts'] as const;
type Script = (typeof SCRIPTS)[number];

async function compileScripts(): Promise<void> {
  await build({
    entryPoints: SCRIPTS.map((script) => path.join(__dirname, script)),
    outdir: path.join(BUILD_DIR, 'scripts'),
    outbase: __dirname,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    plugins: [compileSources],
  });
}

function startProcess(script: Script, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(BUILD_DIR, 'scripts', script.replace(/\.ts$/, '.js')), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function startGateway(name: 'apollo' | 'hive', env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const [port] = await freePorts(1);
  const child = startProcess(`gateway/${name}.ts`, [], { ...env, BENCH_GATEWAY_PORT: String(port) });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`${name} listening`)) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} gateway exited (${code}):\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, child };
}

/** A caller of the load: its access token is replaced before each measurement (tokens live 15 minutes, a run longer). */
interface Caller {
  phone: string;
  token: string;
}

interface Workload {
  name: string;
  requests: Array<{ caller: Caller; body: string; expected?: Record<string, string> }>;
}

/** The processes besides the gateway that serve every request; their CPU is shown next to the gateway's. */
let servingProcesses: Record<string, number> = {};

async function runLoad(gateway: { name: string; url: string; pid: number }, workload: Workload, seconds: number): Promise<LoadResult> {
  const requests = workload.requests.map(({ caller, body, expected }) => ({ token: caller.token, body, expected: expected![gateway.name]! }));
  const cpuBefore = cpuMsOf(gateway.pid);
  const othersBefore = Object.fromEntries(Object.entries(servingProcesses).map(([name, pid]) => [name, cpuMsOf(pid)]));
  const result = await runLoadProcess(gateway.url, requests, seconds);
  const otherCpuMs = Object.fromEntries(
    Object.entries(servingProcesses).map(([name, pid]) => [name, (cpuMsOf(pid) - othersBefore[name]!) / result.requests]),
  );
  return { ...result, gatewayCpuMs: (cpuMsOf(gateway.pid) - cpuBefore) / result.requests, otherCpuMs: { ...otherCpuMs, load: result.loadCpuMs } };
}

function runLoadProcess(
  url: string,
  requests: Array<{ token: string; body: string; expected: string }>,
  seconds: number,
): Promise<Omit<LoadResult, 'gatewayCpuMs' | 'otherCpuMs'>> {
  const child = startProcess('gateway/load.ts', [JSON.stringify({ url, requests, connections: CONNECTIONS, seconds })], {});
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!) as Omit<LoadResult, 'gatewayCpuMs' | 'otherCpuMs'>) : reject(new Error(output)))),
  );
}

/** Subgraphs by their ports, and MariaDB and Redis when this user may read their CPU time. */
function servingProcessesOf(ports: Record<string, number>): Record<string, number> {
  const processes: Record<string, number> = {};
  for (const [name, port] of Object.entries(ports)) if (name !== 'gateway') processes[name] = listeningPid(port);
  for (const [name, command] of [
    ['mariadb', 'mariadbd'],
    ['redis', 'redis-server'],
  ] as const) {
    try {
      const pid = Number(execFileSync('pgrep', ['-o', '-x', command]).toString().trim());
      cpuMsOf(pid);
      processes[name] = pid;
    } catch {
      // Not on this machine, or not readable: left out of the breakdown.
    }
  }
  return processes;
}

/** "user 0.41, payment 0.52, …, total 2.10" with the processes that did work. */
function cpuBreakdown(cpuMs: Record<string, number>): string {
  const busy = Object.entries(cpuMs).filter(([, ms]) => ms >= 0.005);
  const total = busy.reduce((sum, [, ms]) => sum + ms, 0);
  return [...busy.map(([name, ms]) => `${name} ${ms.toFixed(2)}`), `rest total ${total.toFixed(2)}`].join(', ');
}

/**
 * A CPU quota for one process at a time, in a cgroup (v1 `cpu` controller)
 * of its own: the process, all its threads, is moved in for its run and
 * back out after it. Needs root and the controller; `unavailable` says why not.
 */
class CpuLimit {
  private constructor(private readonly dir: string) {}

  static create(cpus: number): CpuLimit | { unavailable: string } {
    const root = '/sys/fs/cgroup/cpu';
    const dir = path.join(root, `harbour-bench-${process.pid}`);
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
      fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(Math.round(cpus * CFS_PERIOD_US)));
      return new CpuLimit(dir);
    } catch (error) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // never made
      }
      return { unavailable: `no writable cgroup v1 cpu controller at ${root} (${(error as Error).message})` };
    }
  }

  hold(pid: number): void {
    fs.writeFileSync(path.join(this.dir, 'cgroup.procs'), String(pid));
  }

  release(pid: number): void {
    fs.writeFileSync(path.join(path.dirname(this.dir), 'cgroup.procs'), String(pid));
  }

  remove(): void {
    fs.rmdirSync(this.dir);
  }
}

/** Harbour's bar: this many times the plain Apollo Gateway's requests/s, at an equal or better p99. */
const BAR = 1.5;
/** A gateway held to a quota that used less than this share of it was not what limited the throughput. */
const SATURATED = 0.9;

/**
 * Whether a measurement judges the bar, and its verdict. The bar is about
 * the gateways' throughput, so it is judged where the gateway is what limits
 * it: each held to the same CPU quota (as a replica is in its pod), and the
 * plain Apollo Gateway using all of it (else the subgraphs set the pace, and
 * the ratio says nothing about the gateways). On shared cores the run
 * measures the whole machine: every process's CPU per request counts, and
 * behind a dashboard the subgraphs, MariaDB and the load spend more than
 * twice what either gateway does (README, bench:gateway).
 */
function barVerdict(mode: { limit?: CpuLimit }, ratio: number, harbourP99: number, apolloP99: number, apollo: LoadResult): { judged: boolean; met: boolean; text: string } {
  if (!mode.limit) return { judged: false, met: false, text: 'the whole machine: not the bar, which is judged with each gateway held to its quota' };
  const used = (apollo.rps * apollo.gatewayCpuMs) / 1000 / GATEWAY_CPUS;
  if (used < SATURATED) return { judged: false, met: false, text: `not judged: the plain Apollo Gateway used ${(used * 100).toFixed(0)}% of its quota, so it was not the bottleneck` };
  const met = ratio >= BAR && harbourP99 <= apolloP99;
  return { judged: true, met, text: `bar: ≥ ${BAR}× at an equal or better median p99: ${met ? 'met' : 'NOT met'}; Apollo used ${(used * 100).toFixed(0)}% of its quota` };
}

/** A caller's answer from one gateway, as the text it sent. */
async function answer(url: string, token: string, body: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': 'harbour-bench', authorization: `Bearer ${token}` },
    body,
  });
  return response.text();
}

async function main() {
  // startStack raises the rate limits far above what this load sends (Harbour still checks them on every request).
  // NODE_ENV=production as in the images (Dockerfile): graphql-js skips its development-only checks in every
  // process, and all three gateways get it (they start with the stack's environment).
  await compileScripts();
  const stack = await startStack({ LOG_LEVEL: 'error', NODE_ENV: 'production', HARBOUR_SERVICE_BUNDLES: buildServiceBundles() });
  const children: ChildProcess[] = [];
  const cleanups: Array<() => void> = [];
  try {
    const customers = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const customer = await signUp(stack, `Bench Customer ${i}`);
      ok(await customer.run('TopUpWallet', { input: { amount: '10000.00', idempotencyKey: randomUUID() } }));
      customers.push(customer);
    }
    const merchants: Array<Caller & { businessId: string }> = [];
    for (let m = 0; m < MERCHANTS; m++) {
      const merchant = await signUp(stack, `Bench Merchant ${m}`);
      const business = ok(await merchant.run('RegisterBusiness', { input: { name: `Bench Cafe ${m}`, city: 'Hong Kong' } })).registerBusiness;
      for (const customer of customers) {
        const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '12.50' } })).createPaymentRequest;
        ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
      }
      merchants.push({ phone: merchant.phone, token: merchant.token, businessId: business.id });
    }
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const workloads: Workload[] = [
      {
        name: `BusinessDashboard (business + payment + user: ${CUSTOMERS} payments and their payers)`,
        requests: merchants.map((caller) => ({ caller, body: JSON.stringify({ query: op('BusinessDashboard'), variables: { id: caller.businessId, from, to } }) })),
      },
      { name: 'Me (user + payment: wallet balance)', requests: merchants.map((caller) => ({ caller, body: JSON.stringify({ query: op('Me') }) })) },
      { name: 'MyBusinesses (user + business)', requests: merchants.map((caller) => ({ caller, body: JSON.stringify({ query: op('MyBusinesses') }) })) },
    ];

    servingProcesses = servingProcessesOf(stack.ports);
    const only = process.env.BENCH_WORKLOADS?.split(',').map((name) => name.trim().toLowerCase());
    const chosen = only ? workloads.filter((workload) => only.some((name) => workload.name.toLowerCase().startsWith(name))) : workloads;
    const gateways: Array<{ name: string; url: string; pid: number }> = [{ name: 'Harbour', url: stack.gatewayUrl, pid: listeningPid(stack.ports.gateway!) }];
    for (const [name, script] of [
      ['Apollo Gateway (plain)', 'apollo'],
      ['Hive Gateway', 'hive'],
    ] as const) {
      const started = await startGateway(script, stack.env);
      children.push(started.child);
      gateways.push({ name, url: started.url, pid: started.child.pid! });
    }

    const limit = GATEWAY_CPUS > 0 ? CpuLimit.create(GATEWAY_CPUS) : { unavailable: 'BENCH_GATEWAY_CPUS=0' };
    if (limit instanceof CpuLimit) cleanups.push(() => limit.remove());
    else console.log(`The measurement with each gateway held to ${GATEWAY_CPUS} CPU is skipped: ${limit.unavailable}.`);
    const modes: Array<{ name: string; limit?: CpuLimit }> = [
      { name: 'shared cores' },
      ...(limit instanceof CpuLimit ? [{ name: `held to ${GATEWAY_CPUS} CPU`, limit }] : []),
    ];
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log(`${CONNECTIONS} connections, ${SECONDS} s per gateway per round after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds, median round shown\n`);
    const verdicts: string[] = [];
    const table: string[] = [
      '| workload | gateway CPU | gateway | requests/s | p50 ms | p99 ms | Harbour ÷ this (requests/s) | gateway CPU ms/request | requests per gateway CPU-second | Harbour ÷ this (per CPU-second) |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const workload of chosen) {
      // The same answer from every gateway for every caller, or the comparison means nothing. Under load each
      // answer is then compared byte for byte with that gateway's own text of it.
      for (const request of workload.requests) {
        const answers = await Promise.all(gateways.map((gateway) => answer(gateway.url, request.caller.token, request.body)));
        const normalised = answers.map((text) => JSON.stringify(JSON.parse(text)));
        if (normalised.some((text) => text !== normalised[0] || text.includes('"errors"'))) {
          throw new Error(`The gateways answer ${workload.name} differently:\n${answers.join('\n')}`);
        }
        request.expected = Object.fromEntries(gateways.map((gateway, index) => [gateway.name, answers[index]!]));
      }
      for (const mode of modes) {
        // A fresh session per caller for each measurement, so no token expires during it; not timed.
        for (const merchant of merchants) merchant.token = ok(await stack.graphql(op('LogIn'), { input: { phone: merchant.phone, password: PASSWORD } })).logIn.accessToken;
        const results = new Map<string, LoadResult[]>(gateways.map((gateway) => [gateway.name, []]));
        const run = async (gateway: (typeof gateways)[number], seconds: number) => {
          if (mode.limit) mode.limit.hold(gateway.pid);
          try {
            return await runLoad(gateway, workload, seconds);
          } finally {
            if (mode.limit) mode.limit.release(gateway.pid);
          }
        };
        for (const gateway of gateways) await run(gateway, WARMUP_SECONDS);
        for (let round = 0; round < ROUNDS; round++) {
          for (const gateway of gateways) {
            const result = await run(gateway, SECONDS);
            if (result.failures > 0) throw new Error(`${gateway.name}: ${result.failures} failed requests, first: ${result.firstFailure}`);
            results.get(gateway.name)!.push(result);
            console.log(
              `${workload.name} · ${mode.name} · ${gateway.name} · round ${round + 1}: ${result.rps.toFixed(1)}/s p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms, ` +
                `CPU ms/request: gateway ${result.gatewayCpuMs.toFixed(2)} (it used ${((result.rps * result.gatewayCpuMs) / 1000).toFixed(2)} CPU), ${cpuBreakdown(result.otherCpuMs)}`,
            );
          }
        }
        const median = (name: string) => [...results.get(name)!].sort((a, b) => a.rps - b.rps)[Math.floor(ROUNDS / 2)]!;
        // p99 is one slow request in a hundred: a single stall of the machine moves one round's. The median of the rounds' p99s is compared.
        const p99 = (name: string) => [...results.get(name)!].map((round) => round.p99).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
        const harbour = median('Harbour');
        for (const gateway of gateways) {
          const row = median(gateway.name);
          const ratio = gateway.name === 'Harbour' ? '—' : `${(harbour.rps / row.rps).toFixed(2)}×`;
          const cpuRatio = gateway.name === 'Harbour' ? '—' : `${(row.gatewayCpuMs / harbour.gatewayCpuMs).toFixed(2)}×`;
          table.push(
            `| ${workload.name} | ${mode.name} | ${gateway.name} | ${row.rps.toFixed(1)} | ${row.p50.toFixed(1)} | ${p99(gateway.name).toFixed(1)} | ${ratio} | ` +
              `${row.gatewayCpuMs.toFixed(2)} | ${(1000 / row.gatewayCpuMs).toFixed(0)} | ${cpuRatio} |`,
          );
        }
        const apollo = median('Apollo Gateway (plain)');
        const ratio = harbour.rps / apollo.rps;
        const verdict = barVerdict(mode, ratio, p99('Harbour'), p99('Apollo Gateway (plain)'), apollo);
        if (verdict.judged) verdicts.push(`${workload.name.split(' ')[0]}: ${verdict.met ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`);
        console.log(
          `  → ${mode.name}: Harbour vs plain Apollo: ${ratio.toFixed(2)}× requests/s, median p99 ${p99('Harbour').toFixed(1)} vs ${p99('Apollo Gateway (plain)').toFixed(1)} ms ` +
            `(${verdict.text}); ` +
            `${(apollo.gatewayCpuMs / harbour.gatewayCpuMs).toFixed(2)}× requests per gateway CPU-second; ` +
            // Rounds of one gateway are compared with the other's in the same round (seconds apart): the machine's
            // speed drifts over minutes, and a median per gateway can pair a fast round with a slow one.
            `round by round: ${results
              .get('Harbour')!
              .map((round, index) => `${(round.rps / results.get('Apollo Gateway (plain)')![index]!.rps).toFixed(2)}×`)
              .join(', ')}\n`,
        );
      }
    }
    console.log(table.join('\n'));
    console.log(
      verdicts.length > 0
        ? `\nThe bar (≥ ${BAR}× the plain Apollo Gateway's requests/s at an equal or better median p99, each gateway held to ${GATEWAY_CPUS} CPU): ${verdicts.join('; ')}`
        : `\nThe bar was not judged: it needs the measurement with each gateway held to a CPU quota (BENCH_GATEWAY_CPUS > 0, root and a cgroup v1 cpu controller).`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await stack.stop();
    for (const cleanup of cleanups) cleanup();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(BUILD_DIR, { recursive: true, force: true }));
