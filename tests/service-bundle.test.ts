/**
 * What the container images run (`Dockerfile`: `npm run build:service`, then
 * `node main.js` / `node migrate.js` in a stage without node_modules), run
 * here the same way: the user subgraph's and the gateway's bundles are built
 * into a temporary folder outside the repository (no node_modules above
 * them) and run in production mode with keys only from the environment, a
 * data directory that must stay empty (the pods' root filesystem is
 * read-only), the real MariaDB and Redis. The migration runner migrates the user store
 * from the bundle, the user subgraph and the gateway start, the gateway gets
 * ready (supergraph and token keys loaded), and a contract operation goes
 * through both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPHS } from '@harbour/config';
import { REDIS_URL, deleteRedisPrefix, dropDatabases, freePorts, listeningPid, testDatabaseUrls, uniqueRunId } from '@harbour/testing';
import { ok, signUp } from './support/actors';
import { contractOperation } from './support/contract';
import { postGraphQL } from './support/graphql-client';
import { stackStartTimeout, startStack } from './support/stack';

const root = path.resolve(__dirname, '..');
const runId = uniqueRunId();
const databaseUrl = testDatabaseUrls(runId).user;
const prefix = `hbt:${runId}:`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-bundle-'));
const children: ChildProcess[] = [];

function buildService(service: string): string {
  const out = path.join(work, service);
  if (fs.existsSync(path.join(out, 'main.js'))) return out;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-service.ts', service, '--out', out], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build:service ${service} failed: ${result.stderr}`);
  return out;
}

function startBundle(dir: string, script: string, args: string[], env: Record<string, string>): ChildProcess {
  // Only what a pod gets: no inherited variables that could point back into the repository.
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  Object.defineProperty(child, 'output', { get: () => output });
  children.push(child);
  return child;
}

const outputOf = (child: ChildProcess) => (child as ChildProcess & { output: string }).output;

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls until the URL answers 200; the deadline is a guard against a hang, not a measurement. */
async function waitFor(url: string, child: ChildProcess): Promise<Response> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${url} answered:\n${outputOf(child)}`);
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return response;
    if (Date.now() > deadline) throw new Error(`${url} never answered 200:\n${outputOf(child)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await dropDatabases([databaseUrl]);
  await deleteRedisPrefix(prefix);
  fs.rmSync(work, { recursive: true, force: true });
});

test('the user subgraph and the gateway run from their bundles alone: migrate, start, get ready, answer a contract operation, stop on SIGTERM', async () => {
  const userDir = buildService('user');
  const gatewayDir = buildService('gateway');
  for (const dir of [userDir, gatewayDir]) expect(fs.existsSync(path.join(dir, 'node_modules', '@harbour'))).toBe(false);
  // Apollo's document hashes use Node's crypto in a bundle too, not sha.js's SHA-256 in JavaScript (scripts/build-service.ts).
  for (const dir of [userDir, gatewayDir]) expect(fs.readFileSync(path.join(dir, 'main.js'), 'utf8')).not.toContain('node_modules/sha.js/');
  expect(fs.readdirSync(path.join(userDir, 'prisma'))).toEqual(['user']);

  const [userPort, gatewayPort] = await freePorts(2);
  const readOnlyDataDir = path.join(work, 'data');
  fs.mkdirSync(readOnlyDataDir);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const shared = {
    HARBOUR_MODE: 'production',
    HARBOUR_DATA_DIR: readOnlyDataDir,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    INTERNAL_IDENTITY_SECRET: randomBytes(32).toString('hex'),
    API_KEY_HASH_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'warn',
  };

  const migration = startBundle(userDir, 'migrate.js', ['--store', 'user'], { ...shared, USER_DATABASE_URL: databaseUrl });
  expect(await exited(migration)).toBe(0);
  expect(outputOf(migration)).toMatch(/^user: applied .+ to hbt_/);

  const user = startBundle(userDir, 'main.js', [], {
    ...shared,
    USER_DATABASE_URL: databaseUrl,
    USER_PORT: String(userPort),
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_KEY_ID: `bundle-${runId}`,
  });
  await waitFor(`http://127.0.0.1:${userPort}/health/ready`, user);

  const gateway = startBundle(gatewayDir, 'main.js', [], {
    ...shared,
    GATEWAY_PORT: String(gatewayPort),
    USER_SUBGRAPH_URL: `http://127.0.0.1:${userPort}/graphql`,
    JWKS_URL: `http://127.0.0.1:${userPort}/.well-known/jwks.json`,
  });
  const ready = await waitFor(`http://127.0.0.1:${gatewayPort}/health/ready`, gateway);
  expect(await ready.json()).toMatchObject({ status: 'ready' });

  const phone = `+8529${String(Date.now()).slice(-7)}`;
  const signUp = await postGraphQL(`http://127.0.0.1:${gatewayPort}/graphql`, contractOperation('SignUp'), {
    input: { phone, displayName: 'Bundle', password: 'a long password' },
  }, { timeoutMs: 20_000 });
  expect(signUp.body.errors).toBeUndefined();
  expect(signUp.body.data?.signUp.user).toMatchObject({ displayName: 'Bundle', phone });
  expect(fs.readdirSync(readOnlyDataDir)).toEqual([]);

  gateway.kill('SIGTERM');
  user.kill('SIGTERM');
  expect(await exited(gateway)).toBe(0);
  expect(await exited(user)).toBe(0);
}, 180_000); // two esbuild bundles and a start: a minute alone, more beside a developer's own stack

test('npm start with HARBOUR_SERVICE_BUNDLES runs all seven services, the statements worker and the webhooks worker from their bundles, and the stack answers across subgraphs', async () => {
  // The layout npm run bench:gateway builds: <dir>/<service>/main.js.
  for (const service of [...SUBGRAPHS, 'gateway']) buildService(service);
  const stack = await startStack({ HARBOUR_SERVICE_BUNDLES: work });
  try {
    for (const [service, port] of Object.entries(stack.ports)) {
      const command = fs.readFileSync(`/proc/${listeningPid(port)}/cmdline`, 'utf8').split('\0');
      expect(command.slice(1, 3)).toEqual(['--enable-source-maps', path.join(work, service, 'main.js')]);
    }
    // The statements and webhooks workers, which listen on no port of the stack's, from the payment bundle's statements.js and the notification bundle's webhooks.js.
    const commands = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      } catch {
        return []; // gone meanwhile
      }
    });
    expect(commands.some((command) => command.at(-1) === path.join(work, 'payment', 'statements.js'))).toBe(true);
    expect(commands.some((command) => command.at(-1) === path.join(work, 'notification', 'webhooks.js'))).toBe(true);
    // Gateway, user, business and payment: a merchant registers a business and is paid by a customer.
    const merchant = await signUp(stack, 'Bundled Merchant');
    const customer = await signUp(stack, 'Bundled Customer');
    ok(await customer.run('TopUpWallet', { input: { amount: '50.00', idempotencyKey: randomUUID() } }));
    const business = ok(await merchant.run('RegisterBusiness', { input: { name: 'Bundled Cafe', city: 'Hong Kong' } })).registerBusiness;
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '12.50' } })).createPaymentRequest;
    ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
    const day = 86_400_000;
    const dashboard = ok(
      await merchant.run('BusinessDashboard', { id: business.id, from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() }),
    ).business;
    expect(dashboard.salesSummary).toMatchObject({ count: 1, gross: { amount: '12.50', currencyCode: 'HKD' } });
    expect(dashboard.payments.edges.map((edge: { node: { payer: { displayName: string } } }) => edge.node.payer.displayName)).toEqual(['Bundled Customer']);
    const me = ok(await customer.run('Me')).me;
    expect(me.wallet.balance).toEqual({ amount: '37.50', currencyCode: 'HKD' });

    // An automatic persisted query: the bundled gateway registers a document only under its true SHA-256,
    // then answers by the hash alone; a hash that is not the document's is refused.
    const query = contractOperation('Me');
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const apq = (body: Record<string, unknown>) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollographql-client-name': 'harbour-tests', authorization: `Bearer ${customer.token}` },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<{ data?: { me: unknown }; errors?: Array<{ extensions?: { code?: string } }> }>);
    const wrongHash = await apq({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } } });
    expect(wrongHash.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect((await apq({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).data?.me).toEqual(me);
    expect((await apq({ extensions: { persistedQuery: { version: 1, sha256Hash } } })).data?.me).toEqual(me);
  } finally {
    await stack.stop();
  }
}, stackStartTimeout(180_000));
