/**
 * `npm start`: makes any Prisma client that is missing or older than its
 * schema (a fresh clone has none), migrates the six stores, then runs the six subgraphs, the
 * gateway, the statements worker and the webhook delivery worker as child processes on the contract's ports (each overridable by
 * `<NAME>_PORT`), and Azurite's blob service on port 10000 (data in
 * `<HARBOUR_DATA_DIR>/azurite`) unless AZURE_STORAGE_CONNECTION_STRING is set
 * or an Azurite already answers there. Every output line is prefixed with
 * the service that wrote it; Ctrl-C (or SIGTERM) stops them all. When MySQL
 * cannot be reached it exits at once with one line saying what to start. The
 * services run from source (tsx), or from their production bundles with
 * HARBOUR_SERVICE_BUNDLES.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ConfigError, SUBGRAPHS, commonConfig, servicePort } from '@harbour/config';
import { loadIdentitySecret, loadSigningKey } from '@harbour/identity';
import { migrateAll, staleClients } from '@harbour/prisma';
import { STATEMENT_WORKER_ENV, STATEMENT_WORKER_NODE_FLAGS } from '../subgraphs/payment/src/statements/worker/runtime';

const root = path.resolve(__dirname, '..');
/**
 * `HARBOUR_SERVICE_BUNDLES=<dir>` runs each service from its production bundle,
 * `<dir>/<service>/main.js` (`npm run build:service -- <service> --out <dir>/<service>`),
 * with plain `node` as its image does; without it, from source under tsx.
 */
const bundles = process.env.HARBOUR_SERVICE_BUNDLES ? path.resolve(process.env.HARBOUR_SERVICE_BUNDLES) : undefined;
const services = [
  ...SUBGRAPHS.map((name) => ({ name, source: path.join(root, 'subgraphs', name, 'src', 'main.ts'), bundle: path.join(name, 'main.js') })),
  { name: 'gateway', source: path.join(root, 'gateway', 'src', 'main.ts'), bundle: path.join('gateway', 'main.js') },
  // The payment subgraph's statements worker: its own process, from the payment bundle in production.
  {
    name: 'statements',
    source: path.join(root, 'subgraphs', 'payment', 'src', 'statements', 'worker', 'main.ts'),
    bundle: path.join('payment', 'statements.js'),
    node: STATEMENT_WORKER_NODE_FLAGS,
    env: STATEMENT_WORKER_ENV,
  },
  // The notification subgraph's webhook delivery worker: its own process, from the notification bundle in production.
  { name: 'webhooks', source: path.join(root, 'subgraphs', 'notification', 'src', 'webhooks', 'worker', 'main.ts'), bundle: path.join('notification', 'webhooks.js') },
].map(({ name, source, bundle: bundled, ...runtime }: { name: string; source: string; bundle: string; node?: readonly string[]; env?: Record<string, string> }) => {
  const bundle = bundles ? path.join(bundles, bundled) : undefined;
  // A worker with flags of its own runs as its Deployment does (runtime.ts); the others as their images do.
  const flags = runtime.node ? [...runtime.node] : bundle ? ['--enable-source-maps'] : [];
  return { name, bundle, env: runtime.env ?? {}, args: bundle ? [...flags, bundle] : [...flags, '--import', 'tsx', source] };
});
/** Azurite's default blob port: the services' connection string without AZURE_STORAGE_CONNECTION_STRING points there. */
const AZURITE_PORT = 10_000;
const width = Math.max(...services.map((service) => service.name.length));
const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(stream: NodeJS.ReadableStream, name: string, out: NodeJS.WritableStream) {
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${name.padEnd(width)} | ${line}\n`));
}

function stopAll(exitCode: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode);
  }, 10_000);
  force.unref();
  const wait = () => {
    if ([...children.values()].every((child) => child.exitCode !== null || child.signalCode !== null)) process.exit(exitCode);
    else setTimeout(wait, 50);
  };
  wait();
}

async function waitUntil(answers: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 600 && !stopping; attempt++) {
    if (await answers()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const gatewayReady = (port: number) => fetch(`http://127.0.0.1:${port}/health/ready`).then((response) => response.ok, () => false);

/** Whether Azurite's blob service answers on its port (then a developer's own is used, not a second one started). */
async function azuriteAnswers(): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${AZURITE_PORT}/devstoreaccount1?comp=list`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  await response?.arrayBuffer().catch(() => undefined);
  if (!response) return false;
  if (response.headers.get('server')?.startsWith('Azurite-Blob')) return true;
  throw new ConfigError(`port ${AZURITE_PORT} answers, but not as Azurite's blob service: stop what runs there, or set AZURE_STORAGE_CONNECTION_STRING.`);
}

function azuriteArgs(location: string): string[] {
  const manifest = require.resolve('azurite/package.json');
  const main = path.join(path.dirname(manifest), (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin['azurite-blob']!);
  fs.mkdirSync(location, { recursive: true });
  return [main, '--blobHost', '127.0.0.1', '--blobPort', String(AZURITE_PORT), '--location', location, '--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'];
}

function run(name: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  prefixLines(child.stdout!, name, process.stdout);
  prefixLines(child.stderr!, name, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`${name.padEnd(width)} | exited (${signal ?? code}); stopping Harbour\n`);
    stopAll(1);
  });
}

/**
 * The services from source need each store's generated client. Made here,
 * only for the stores that need it, so that `npm ci && npm start` on a fresh
 * clone works with nothing else done, and a pulled schema change is picked up.
 */
function generateStaleClients() {
  const stale = staleClients();
  if (stale.length === 0) return;
  process.stdout.write(`${'generate'.padEnd(width)} | making the Prisma clients of ${stale.join(', ')} (missing or older than their schema)\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'prisma', 'scripts', 'generate.ts'), ...stale], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new ConfigError(`prisma generate failed for ${stale.join(', ')} (its output is above); run npm run generate to see it again.`);
  }
}

async function main() {
  const missing = services.filter((service) => service.bundle && !fs.existsSync(service.bundle)).map((service) => path.relative(bundles!, service.bundle!));
  if (missing.length > 0) {
    throw new ConfigError(
      `HARBOUR_SERVICE_BUNDLES=${bundles}: no ${missing.join(', ')}; build each with npm run build:service -- <service> --out ${bundles}/<service>.`,
    );
  }
  const config = commonConfig();
  if (!bundles) generateStaleClients();
  // Made here once, before the services start, so they all read the same local keys.
  loadSigningKey(config);
  loadIdentitySecret(config);

  const quiet = { info: () => undefined, warn: (_fields: object, message: string) => process.stderr.write(`${'migrate'.padEnd(width)} | warning: ${message}\n`) };
  for (const result of await migrateAll(process.env, { logger: quiet })) {
    process.stdout.write(`${'migrate'.padEnd(width)} | ${result.database}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date'}\n`);
  }

  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  const azurite = !process.env.AZURE_STORAGE_CONNECTION_STRING?.trim();
  if (azurite && (await azuriteAnswers())) process.stdout.write(`${'azurite'.padEnd(width)} | using the Azurite already on port ${AZURITE_PORT}\n`);
  else if (azurite) run('azurite', azuriteArgs(path.join(config.dataDir, 'azurite')));
  for (const service of services) run(service.name, service.args, service.env);
  const port = servicePort('gateway');
  await Promise.all([waitUntil(() => gatewayReady(port)), azurite && waitUntil(azuriteAnswers)]);
  if (!stopping) process.stdout.write(`${'harbour'.padEnd(width)} | ready: http://localhost:${port}/graphql\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || (error as Error)?.name === 'DatabaseUnreachableError' ? (error as Error).message : String((error as Error)?.stack ?? error);
  process.stderr.write(`harbour: ${message}\n`);
  stopAll(1);
});
