/**
 * The gateway's HTTP hygiene and its schema explorer, over real HTTP: security
 * headers, CORS for configured origins only, Apollo's CSRF prevention with the
 * contract's client headers, `GET /schema.graphql` with introspection off, the
 * explorer's page and files, and a graceful stop (requests in flight finish,
 * new connections are refused, subscriptions complete with 1001). The user
 * subgraph and the gateway run in this process on a real MariaDB store and Redis.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { commonConfig } from '@harbour/config';
import { buildGateway } from '@harbour/gateway/src/build';
import { gatewayConfig } from '@harbour/gateway/src/config';
import { loadIdentitySecret, loadSigningKeys } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { migrate } from '@harbour/prisma';
import { createUserStore } from '@harbour/prisma/user';
import type { RunningServer } from '@harbour/server';
import { buildUserSubgraph } from '@harbour/user-subgraph/src/build';
import { buildSchema, parse, validate } from 'graphql';
import { Redis } from 'ioredis';
import { PASSWORD, newPhone } from './support/actors';
import { contractOperation as op, contractOperationNames } from './support/contract';
import { postGraphQL } from './support/graphql-client';
import { Collected, liveClient } from './support/ws-client';
import { deleteRedisPrefix, dropDatabases, REDIS_URL, testDatabaseUrls, uniqueRunId } from '@harbour/testing';

const runId = uniqueRunId();
const databases = testDatabaseUrls(runId);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-http-'));
const redisKeyPrefix = `hbt:${runId}:`;
const logger = createLogger('test', 'silent');
const PARTNER = 'https://partner.example';
const CLIENT_HEADERS = { 'apollographql-client-name': 'harbour-tests', 'apollographql-client-version': '1.0.0' };

let redis: Redis;
let userStore: ReturnType<typeof createUserStore>;
let user: RunningServer;
let gateway: RunningServer;
let origin: string;
let gatewayUrl: string;
let gatewayStopped = false;

beforeAll(async () => {
  await migrate('user', databases.user);
  const config = commonConfig({ HARBOUR_DATA_DIR: dataDir, REDIS_KEY_PREFIX: redisKeyPrefix });
  const identitySecret = loadIdentitySecret(config, {});
  redis = new Redis(REDIS_URL);
  userStore = createUserStore(databases.user);
  user = buildUserSubgraph({ config, store: userStore, redis, signingKeys: loadSigningKeys(config, {}), identitySecret, logger, passwordCost: 10 });
  const userPort = await user.start(0, '127.0.0.1');
  const env = {
    HARBOUR_DATA_DIR: dataDir,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    USER_SUBGRAPH_URL: `http://127.0.0.1:${userPort}/graphql`,
    GATEWAY_CORS_ORIGINS: `${PARTNER}, http://localhost:3000`,
    GATEWAY_INTROSPECTION: 'false',
  };
  gateway = buildGateway({ config: gatewayConfig(env), redis, identitySecret, logger, env });
  origin = `http://127.0.0.1:${await gateway.start(0, '127.0.0.1')}`;
  gatewayUrl = `${origin}/graphql`;
}, 60_000);

afterAll(async () => {
  if (!gatewayStopped) await gateway?.stop();
  await user?.stop();
  await userStore?.$disconnect();
  redis?.disconnect();
  await dropDatabases(Object.values(databases));
  await deleteRedisPrefix(redisKeyPrefix);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const signUpVariables = () => ({ input: { phone: newPhone(), displayName: 'Hygiene', password: PASSWORD } });

async function signUp(): Promise<{ token: string; phone: string }> {
  const variables = signUpVariables();
  const response = await postGraphQL(gatewayUrl, op('SignUp'), variables);
  expect(response.body.errors).toBeUndefined();
  return { token: response.body.data!.signUp.accessToken, phone: variables.input.phone };
}

describe('security headers', () => {
  it('every answer carries them: GraphQL (no-store), health, schema', async () => {
    const answers = [
      await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...CLIENT_HEADERS }, body: JSON.stringify({ query: op('SignUp'), variables: signUpVariables() }) }),
      await fetch(`${origin}/health/live`),
      await fetch(`${origin}/schema.graphql`),
      await fetch(`${origin}/nowhere`),
    ];
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
      // Sandbox mode on plain HTTP: no HSTS (production sets it).
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    }
    expect(answers[0]!.status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (from: string) =>
    fetch(gatewayUrl, {
      method: 'OPTIONS',
      headers: {
        origin: from,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, apollographql-client-name, apollographql-client-version, traceparent',
      },
    });

  it('a preflight from a configured origin is allowed the contract headers, without credentials', async () => {
    const answer = await preflight(PARTNER);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = answer.headers.get('access-control-allow-headers')!.split(', ');
    for (const header of ['authorization', 'content-type', 'apollographql-client-name', 'apollographql-client-version', 'x-apollo-operation-name', 'traceparent', 'x-request-id']) {
      expect(allowed).toContain(header);
    }
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('vary')).toContain('Origin');
  });

  it('the allow-list holds exact origins only: no wildcard, no path, no bare host', () => {
    for (const bad of ['*', 'partner.example', 'https://partner.example/', 'https://partner.example/app']) {
      expect(() => gatewayConfig({ GATEWAY_CORS_ORIGINS: `http://localhost:3000,${bad}` })).toThrow(/^GATEWAY_CORS_ORIGINS is malformed/);
    }
    expect(gatewayConfig({ GATEWAY_CORS_ORIGINS: ' https://a.example , http://localhost:3000 ' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(gatewayConfig({}).corsOrigins).toEqual([]);
  });

  it('another origin gets no CORS headers, on the preflight and on the request', async () => {
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-headers')).toBeNull();
    // A prefix of an allowed origin is not that origin.
    expect((await preflight(`${PARTNER}.evil.example`)).headers.get('access-control-allow-origin')).toBeNull();

    const query = { query: '{ __typename }' };
    const headers = { 'content-type': 'application/json', ...CLIENT_HEADERS };
    const fromPartner = await fetch(gatewayUrl, { method: 'POST', headers: { ...headers, origin: PARTNER }, body: JSON.stringify(query) });
    expect(fromPartner.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(fromPartner.headers.get('vary')).toContain('Origin');
    const fromElsewhere = await fetch(gatewayUrl, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: JSON.stringify(query) });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CSRF prevention', () => {
  it('a GET without x-apollo-operation-name, or a POST with a simple content type, is refused with 400', async () => {
    const search = new URLSearchParams({ query: op('Me'), operationName: 'Me' });
    const bareGet = await fetch(`${gatewayUrl}?${search}`, { headers: CLIENT_HEADERS });
    expect(bareGet.status).toBe(400);
    expect(await bareGet.text()).toContain('Cross-Site Request Forgery');

    const textPost = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain', ...CLIENT_HEADERS }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(textPost.status).toBe(400);
    expect(await textPost.text()).toContain('Cross-Site Request Forgery');
  });

  it('a GET as the contract sends it (client headers and x-apollo-operation-name) is answered', async () => {
    const { token, phone } = await signUp();
    const search = new URLSearchParams({ query: op('FindUserByPhone'), operationName: 'FindUserByPhone', variables: JSON.stringify({ phone }) });
    const answer = await fetch(`${gatewayUrl}?${search}`, { headers: { ...CLIENT_HEADERS, 'x-apollo-operation-name': 'FindUserByPhone', authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    const body: any = await answer.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.userByPhone.displayName).toBe('Hygiene');
  });
});

describe('GET /schema.graphql', () => {
  it('is the public API schema with its descriptions, no federation internals, while introspection is off', async () => {
    const answer = await fetch(`${origin}/schema.graphql`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const sdl = await answer.text();
    for (const internal of ['join__', 'link__', '_entities', '_service', '_Any', '_Entity', '@join', '@link', 'federation__']) {
      expect(sdl).not.toContain(internal);
    }
    expect(sdl).toContain('A point in time, RFC 3339');
    const schema = buildSchema(sdl);
    for (const name of contractOperationNames) expect(validate(schema, parse(op(name)))).toEqual([]);

    const introspection = await postGraphQL(gatewayUrl, '{ __schema { types { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the explorer', () => {
  it('a browser GET /graphql gets the page; its files are served from here, cached for good; GraphQL is unchanged', async () => {
    const page = await fetch(gatewayUrl, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const files = [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(files.filter((file) => file.endsWith('.js'))).toHaveLength(4);
    expect(files.filter((file) => file.endsWith('.css'))).toHaveLength(2);
    for (const file of files) {
      const asset = await fetch(`${origin}${file}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    // GraphiQL's stylesheet carries its fonts as data: URLs (nothing to fetch from elsewhere).
    const css = await (await fetch(`${origin}${files.find((file) => file.includes('graphiql') && file.endsWith('.css'))}`)).text();
    expect(css).not.toMatch(/url\((['"]?)(https?:)?\/\//);

    const json = await postGraphQL(gatewayUrl, '{ __typename }');
    expect(json.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('a graceful stop (last: it stops the gateway)', () => {
  it('lets a request in flight finish with 200, refuses new connections, and completes subscriptions with 1001', async () => {
    const { token } = await signUp();
    const live = liveClient(gatewayUrl, token);
    const notifications = new Collected(live.client, op('NotificationAdded'));

    // A SignUp whose body is still arriving when the stop begins.
    const body = JSON.stringify({ query: op('SignUp'), variables: signUpVariables() });
    let stopped: Promise<void> | undefined;
    let newConnection: Promise<string> | undefined;
    const received = new Promise<void>((resolve) => gateway.http.once('request', () => resolve()));
    const answer = new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
      const request = http.request(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...CLIENT_HEADERS } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      request.write(body.slice(0, 20));
      void received.then(async () => {
        stopped = gateway.stop();
        gatewayStopped = true;
        newConnection = new Promise((resolve) => {
          const socket = net.connect(Number(new URL(origin).port), '127.0.0.1');
          socket.once('connect', () => resolve('connected'));
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        });
        await newConnection;
        request.end(body.slice(20));
      });
    });

    const finished = await answer;
    expect(await newConnection).toBe('ECONNREFUSED');
    expect(finished.status).toBe(200);
    expect(finished.body.errors).toBeUndefined();
    expect(finished.body.data.signUp.user.displayName).toBe('Hygiene');
    // Its connection closes with it, instead of idling until the keep-alive timeout.
    expect(finished.connection).toBe('close');
    expect(await live.closed).toBe(1001);
    await notifications.done;
    await stopped;
  });
});
