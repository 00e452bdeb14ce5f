/**
 * The supergraph's @authenticated and @requiresScopes, enforced by the gateway
 * per field before any subgraph is called; introspection closed in
 * production except to a scope; and access-token key rotation, all through a
 * whole stack in production mode. Counting proxies in front of the user
 * subgraph's JWKS and of the payment subgraph show what the gateway fetched.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSchema } from '@graphql-tools/load';
import { UrlLoader } from '@graphql-tools/url-loader';
import { rotateSigningKey } from '@harbour/identity';
import { SUPERGRAPH_PATH } from '@harbour/schema';
import { freePorts } from '@harbour/testing';
import { buildClientSchema, getIntrospectionQuery, isObjectType, type IntrospectionQuery } from 'graphql';
import { signUp, ok, PASSWORD, type Actor } from './support/actors';
import { contractOperation as op } from './support/contract';
import { countingProxy, type CountingProxy } from './support/counting-proxy';
import { errorCodes } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

const ROOT = path.resolve(__dirname, '..');
const JWKS_PATH = '/.well-known/jwks.json';
let stack: RunningStack;
let keysDir: string;
let jwks: CountingProxy;
let payment: CountingProxy;

beforeAll(async () => {
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-keys-'));
  rotateSigningKey(keysDir, new Date(Date.now() - 60_000));
  const [userPort, paymentPort] = await freePorts(2);
  jwks = await countingProxy({ host: '127.0.0.1', port: userPort! });
  payment = await countingProxy({ host: '127.0.0.1', port: paymentPort! });
  stack = await startStack({
    HARBOUR_MODE: 'production',
    JWT_KEYS_DIR: keysDir,
    INTERNAL_IDENTITY_SECRET: randomBytes(48).toString('base64url'),
    // Production refuses to run without a key for payout account numbers (and refuses the development one).
    PAYOUT_ACCOUNT_KEYS: `test:${randomBytes(32).toString('base64')}`,
    API_KEY_HASH_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    // Ad-hoc operations below are not in the trusted-documents manifest production enforces by default.
    GATEWAY_TRUSTED_DOCUMENTS: 'off',
    USER_PORT: String(userPort),
    USER_SUBGRAPH_URL: `http://127.0.0.1:${userPort}/graphql`,
    JWKS_URL: `${jwks.url}${JWKS_PATH}`,
    PAYMENT_PORT: String(paymentPort),
    PAYMENT_SUBGRAPH_URL: `${payment.url}/graphql`,
  });
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
  await jwks?.close();
  await payment?.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
});

/** The operator's command, as run from a shell: `npm run user:grant-scope -- <phone> <scope>` (asynchronously: the test's own HTTP connections stay serviced). */
function scopesCli(action: 'grant' | 'revoke', user: string, scope: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const script = path.join(ROOT, 'subgraphs/user/src/admin/scopes-cli.ts');
    execFile(process.execPath, ['--import', 'tsx', script, action, user, scope], { cwd: ROOT, env: { ...process.env, ...stack.env } }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Grants the scopes and logs in again: scopes reach tokens at log-in or refresh. */
async function withScopes(actor: Actor, ...scopes: string[]): Promise<string> {
  for (const scope of scopes) expect((await scopesCli('grant', actor.phone, scope)).status).toBe(0);
  const login = ok(await stack.graphql(op('LogIn'), { input: { phone: actor.phone, password: PASSWORD } }));
  return login.logIn.accessToken as string;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { scope?: string };
const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const pathsAndCodes = (response: { body: { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }> } }) =>
  (response.body.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code]).sort();

const DASHBOARD = 'query Dashboard { ledgerHealth { healthy unbalancedEntries negativeBalances totals { amount currencyCode } } me { id } }';

describe('@authenticated and @requiresScopes, enforced by the gateway', () => {
  it('the supergraph file keeps its for: SECURITY links, and the gateway serves it', async () => {
    expect(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).toMatch(/requiresScopes\/v0\.1", for: SECURITY/);
    const response = await stack.graphql('{ __typename }');
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('a field behind @requiresScopes without the scope is null with FORBIDDEN, the rest comes, and the payment subgraph is never asked', async () => {
    const staff = await signUp(stack, 'Not Yet Staff');
    const before = payment.count('/graphql');
    const response = await stack.graphql(DASHBOARD, {}, { token: staff.token });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ ledgerHealth: null, me: { id: staff.id } });
    expect(pathsAndCodes(response)).toEqual([['ledgerHealth', 'FORBIDDEN']]);
    expect(payment.count('/graphql')).toBe(before);

    // Denied fields only: nothing is planned at all.
    const deniedOnly = await stack.graphql('{ ledgerHealth { healthy } }', {}, { token: staff.token });
    expect(deniedOnly.body.data).toEqual({ ledgerHealth: null });
    expect(errorCodes(deniedOnly)).toEqual(['FORBIDDEN']);
    expect(payment.count('/graphql')).toBe(before);
  });

  it('with the scope (granted by the admin command) the field answers: the ledger is whole', async () => {
    const staff = await signUp(stack, 'Ops Staff');
    const token = await withScopes(staff, 'ledger:audit');
    expect(claimsOf(token).scope).toBe('ledger:audit');
    const before = payment.count('/graphql');
    const response = await stack.graphql(DASHBOARD, {}, { token });
    expect(response.body).toEqual({
      data: { ledgerHealth: { healthy: true, unbalancedEntries: 0, negativeBalances: 0, totals: expect.any(Array) }, me: { id: staff.id } },
    });
    for (const total of response.body.data!.ledgerHealth.totals) expect(total.amount).toBe('0.00');
    expect(payment.count('/graphql')).toBe(before + 1);
  });

  it('the admin command refuses an unknown scope and an unknown user, and revokes', async () => {
    const someone = await signUp(stack, 'Scope Typo');
    const typo = await scopesCli('grant', someone.phone, 'ledger:adit');
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/Unknown scope "ledger:adit"; known: schema:introspect, ledger:audit/);
    expect((await scopesCli('grant', '+85200000009', 'ledger:audit')).status).toBe(1);
    await withScopes(someone, 'ledger:audit');
    expect((await scopesCli('revoke', someone.id, 'ledger:audit')).stdout).toMatch(/^revoked: ledger:audit/);
    const login = ok(await stack.graphql(op('LogIn'), { input: { phone: someone.phone, password: PASSWORD } }));
    expect(claimsOf(login.logIn.accessToken).scope).toBeUndefined();
  });

  it('an @authenticated field asked anonymously is null with UNAUTHENTICATED; public fields still come', async () => {
    const owner = await signUp(stack, 'Shop Owner');
    const business = ok(await owner.run('RegisterBusiness', { input: { name: 'Harbour Cafe', city: 'Central' } })).registerBusiness;
    const response = await stack.graphql('query($id: ID!) { me { id } business(id: $id) { name role salesSummary(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { count } } }', {
      id: business.id,
    });
    expect(response.body.data).toEqual({ me: null, business: { name: 'Harbour Cafe', role: null, salesSummary: null } });
    expect(pathsAndCodes(response)).toEqual([
      ['business.role', 'UNAUTHENTICATED'],
      ['business.salesSummary', 'UNAUTHENTICATED'],
      ['me', 'UNAUTHENTICATED'],
    ]);
  });

  it('callers with different rights sending the same operation never share a query plan', async () => {
    const plain = await signUp(stack, 'Plain User');
    const auditor = await signUp(stack, 'Auditor');
    const auditorToken = await withScopes(auditor, 'ledger:audit');
    // Alternating, so each would hit a plan cached for the other if the cache key ignored the rewrite.
    for (let round = 0; round < 2; round += 1) {
      const denied = await stack.graphql(DASHBOARD, {}, { token: plain.token });
      expect(denied.body.data).toEqual({ ledgerHealth: null, me: { id: plain.id } });
      expect(pathsAndCodes(denied)).toEqual([['ledgerHealth', 'FORBIDDEN']]);
      const allowed = await stack.graphql(DASHBOARD, {}, { token: auditorToken });
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data).toEqual({ ledgerHealth: expect.objectContaining({ healthy: true }), me: { id: auditor.id } });
    }
  });
});

describe('introspection in production mode', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('is refused without the schema:introspect scope (UNAUTHENTICATED without a token, FORBIDDEN with one); __typename is not introspection', async () => {
    const anonymous = await stack.graphql(INTROSPECT);
    expect(anonymous.body.data).toBeUndefined();
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const user = await signUp(stack, 'Curious User');
    const refused = await stack.graphql('{ __type(name: "Query") { name } }', {}, { token: user.token });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors![0]!.message).toMatch(/Introspection \(off in production\) needs the scope schema:introspect/);
  });

  it('is answered for a caller with the scope', async () => {
    const developer = await signUp(stack, 'Partner Developer');
    const token = await withScopes(developer, 'schema:introspect');
    const response = await stack.graphql(INTROSPECT, {}, { token });
    expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  describe("partners' tools, with the scope", () => {
    let token: string;
    beforeAll(async () => {
      token = await withScopes(await signUp(stack, 'Tooling Developer'), 'schema:introspect');
    });

    it("answers graphql-js's standard introspection query with every option, as Rover, Postman and Sandbox send it", async () => {
      const query = getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      });
      const response = await stack.graphql<IntrospectionQuery>(query, {}, { token });
      expect(response.body.errors).toBeUndefined();
      const schema = buildClientSchema(response.body.data!);
      const query_ = schema.getQueryType()!;
      expect(Object.keys(query_.getFields())).toEqual(expect.arrayContaining(['me', 'business']));
      expect(schema.getType('Decimal')).toMatchObject({ specifiedByURL: expect.stringMatching(/^https?:/) });
    });

    it("GraphQL Code Generator's loader (@graphql-tools/url-loader) loads the schema by introspection", async () => {
      const schema = await loadSchema(stack.gatewayUrl, {
        loaders: [new UrlLoader()],
        headers: { authorization: `Bearer ${token}`, 'apollographql-client-name': 'codegen', 'apollographql-client-version': '1' },
      });
      const payment = schema.getType('Payment');
      expect(isObjectType(payment) && Object.keys(payment.getFields())).toEqual(expect.arrayContaining(['id', 'amount', 'payer']));
    });

    it('still refuses a deep ofType chain (maxIntrospectionDepth) and lists nested in lists (graphql-js MaxIntrospectionDepthRule)', async () => {
      const chain = await stack.graphql(`{ __type(name: "User") { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } }`, {}, { token });
      expect(chain.status).toBe(400);
      expect(chain.body.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'OPERATION_TOO_COMPLEX', limit: 'maxIntrospectionDepth' })]);
      const lists = await stack.graphql(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`, {}, { token });
      expect(errorCodes(lists)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(lists.body.errors![0]!.message).toMatch(/Maximum introspection depth exceeded/);
    });
  });
});

describe('signing-key rotation', () => {
  it('after a rotation new tokens carry the new kid; the gateway fetches the JWKS once for it, not per request; old-kid tokens keep working', async () => {
    const early = await signUp(stack, 'Before Rotation');
    const oldKid = kidOf(early.token);
    expect(ok(await early.run('Me')).me.id).toBe(early.id);
    const fetchesBefore = jwks.count(JWKS_PATH);

    const { kid: newKid } = rotateSigningKey(keysDir);
    const late = await signUp(stack, 'After Rotation');
    const other = await signUp(stack, 'Also After');
    expect(kidOf(late.token)).toBe(newKid);
    expect(kidOf(other.token)).toBe(newKid);
    expect(newKid).not.toBe(oldKid);

    // Concurrent first requests with the new kid share the one fetch; later ones need none.
    const first = await Promise.all([late.run('Me'), other.run('Me'), late.run('Me')]);
    expect(first.map((response) => ok(response).me.id)).toEqual([late.id, other.id, late.id]);
    for (let i = 0; i < 5; i += 1) expect(ok(await late.run('Me')).me.id).toBe(late.id);
    expect(jwks.count(JWKS_PATH)).toBe(fetchesBefore + 1);

    // The old key is still published: its tokens keep working, with no more fetches.
    expect(ok(await early.run('Me')).me.id).toBe(early.id);
    expect(jwks.count(JWKS_PATH)).toBe(fetchesBefore + 1);
    const published = (await (await fetch(`${jwks.url}${JWKS_PATH}`)).json()) as { keys: Array<{ kid: string }> };
    expect(published.keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
  });
});
