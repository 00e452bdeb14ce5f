/**
 * Entity references are batched: resolving the owners of 50 businesses makes
 * one request from the gateway to the user subgraph, and one SQL query there.
 * The user and business subgraphs and the gateway run in this process, on
 * real MariaDB stores of their own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBusinessSubgraph } from '@harbour/business-subgraph/src/build';
import { commonConfig } from '@harbour/config';
import { buildGateway } from '@harbour/gateway/src/build';
import { executionCounters } from '@harbour/gateway/src/execution';
import { gatewayConfig } from '@harbour/gateway/src/config';
import { loadIdentitySecret, loadSigningKeys } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { mariadbAdapter, migrate } from '@harbour/prisma';
import { createBusinessStore } from '@harbour/prisma/business';
import { PrismaClient as UserPrismaClient } from '@harbour/prisma/user';
import { newId, type RunningServer } from '@harbour/server';
import { buildUserSubgraph } from '@harbour/user-subgraph/src/build';
import { Redis } from 'ioredis';
import { postGraphQL } from './support/graphql-client';
import { dropDatabases, deleteRedisPrefix, REDIS_URL, testDatabaseUrls, uniqueRunId } from '@harbour/testing';

const runId = uniqueRunId();
const databases = testDatabaseUrls(runId);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-batching-'));
const redisKeyPrefix = `hbt:${runId}:`;
const logger = createLogger('test', 'silent');
const sqlOnUserStore: string[] = [];

/** A user store whose driver adapter records every SQL statement it runs. */
function countingUserStore(url: string) {
  const inner = mariadbAdapter(url);
  const adapter = {
    provider: 'mysql' as const,
    adapterName: inner.adapterName,
    async connect() {
      const connected = await inner.connect();
      return new Proxy(connected, {
        get(target, property, receiver) {
          if (property === 'queryRaw') {
            return (query: { sql: string }) => {
              sqlOnUserStore.push(query.sql);
              return target.queryRaw(query as never);
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
  return new UserPrismaClient({ adapter });
}

let servers: RunningServer[] = [];
let redis: Redis;
let userStore: UserPrismaClient;
let businessStore: ReturnType<typeof createBusinessStore>;
let gatewayUrl: string;
let userRequests = 0;
let businessRequests = 0;

beforeAll(async () => {
  await migrate('user', databases.user);
  await migrate('business', databases.business);
  const config = commonConfig({ HARBOUR_DATA_DIR: dataDir, REDIS_KEY_PREFIX: redisKeyPrefix });
  const identitySecret = loadIdentitySecret(config, {});
  redis = new Redis(REDIS_URL);
  userStore = countingUserStore(databases.user);
  businessStore = createBusinessStore(databases.business);

  const user = buildUserSubgraph({ config, store: userStore, redis, signingKeys: loadSigningKeys(config, {}), identitySecret, logger, passwordCost: 10 });
  const business = buildBusinessSubgraph({ store: businessStore, identitySecret, logger });
  user.http.on('request', (req) => {
    if (req.url === '/graphql') userRequests++;
  });
  business.http.on('request', (req) => {
    if (req.url === '/graphql') businessRequests++;
  });
  const userPort = await user.start(0, '127.0.0.1');
  const businessPort = await business.start(0, '127.0.0.1');
  const env = {
    HARBOUR_DATA_DIR: dataDir,
    GATEWAY_PORT: '0',
    // 50 aliased root fields are the point of the first test: limits raised for it, defaults kept otherwise.
    GATEWAY_MAX_ALIASES: '60',
    GATEWAY_MAX_ROOT_FIELDS: '60',
    USER_SUBGRAPH_URL: `http://127.0.0.1:${userPort}/graphql`,
    BUSINESS_SUBGRAPH_URL: `http://127.0.0.1:${businessPort}/graphql`,
  };
  const gateway = buildGateway({ config: gatewayConfig(env), redis, identitySecret, logger, env });
  gatewayUrl = `http://127.0.0.1:${await gateway.start(0, '127.0.0.1')}/graphql`;
  servers = [gateway, user, business];
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.stop();
  await userStore?.$disconnect();
  await businessStore?.$disconnect();
  redis?.disconnect();
  await dropDatabases(Object.values(databases));
  await deleteRedisPrefix(redisKeyPrefix);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('the owners of 50 businesses cost one request to the user subgraph and one SQL query there', async () => {
  const owners = Array.from({ length: 50 }, (_, index) => ({
    id: newId('user'),
    phone: `+8526${1_000_000 + index}`,
    displayName: `Owner ${index}`,
    passwordHash: 'scrypt$not-used',
  }));
  await userStore.user.createMany({ data: owners });
  const businesses = owners.map((owner, index) => ({ id: newId('business'), name: `Shop ${index}`, city: 'Hong Kong', ownerId: owner.id }));
  await businessStore.business.createMany({ data: businesses });

  const fields = businesses.map((business, index) => `b${index}: business(id: "${business.id}") { id owner { id displayName } }`);
  userRequests = 0;
  sqlOnUserStore.length = 0;
  const response = await postGraphQL(gatewayUrl, `query FiftyOwners { ${fields.join('\n')} }`);

  expect(response.body.errors).toBeUndefined();
  businesses.forEach((business, index) => {
    expect(response.body.data![`b${index}`]).toEqual({ id: business.id, owner: { id: owners[index]!.id, displayName: `Owner ${index}` } });
  });
  expect(userRequests).toBe(1);
  expect(sqlOnUserStore).toHaveLength(1);
  expect(sqlOnUserStore[0]).toMatch(/^SELECT .* FROM `users` WHERE `users`.`id` IN \((\?,){49}\?\)$/);
});

it('query plans run through the compiled execution: each answer shaped by it, the operation built once per document', async () => {
  const owner = { id: newId('user'), phone: '+85269000001', displayName: 'Compiled Owner', passwordHash: 'scrypt$not-used' };
  await userStore.user.create({ data: owner });
  const business = { id: newId('business'), name: 'Compiled Cafe', city: 'Hong Kong', ownerId: owner.id };
  await businessStore.business.create({ data: business });
  const query = `query CompiledShop($id: ID!) { business(id: $id) { name ... on Business { id owner { displayName } } } }`;

  const before = { ...executionCounters };
  for (let i = 0; i < 3; i++) {
    const response = await postGraphQL(gatewayUrl, query, { id: business.id });
    expect(response.body).toEqual({ data: { business: { name: 'Compiled Cafe', id: business.id, owner: { displayName: 'Compiled Owner' } } } });
  }
  expect(executionCounters.shaped - before.shaped).toBe(3);
  expect(executionCounters.shapedByApollo - before.shapedByApollo).toBe(0);
  expect(executionCounters.operationsBuilt - before.operationsBuilt).toBe(1);
  expect(executionCounters.operationsReused - before.operationsReused).toBe(2);
});

it('a depth-50 query, a 10,000-alias query and a cost bomb are refused before any subgraph is called', async () => {
  userRequests = 0;
  businessRequests = 0;
  const deep = `{ business(id: "biz_x") { ${'owner { businesses { '.repeat(25)}id${' } }'.repeat(25)} } }`;
  const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}:me{id}`).join(' ')} }`;
  // Within the depth, alias and token limits, but 100 × 100 × 100 friends.
  const bomb = `{ me { ${'friends(first: 100) { edges { node { '.repeat(3)}id${' } } }'.repeat(3)} } }`;
  for (const [query, limit] of [[deep, 'maxDepth'], [aliases, 'maxTokens'], [bomb, 'maxCost']] as const) {
    const response = await postGraphQL(gatewayUrl, query);
    expect(response.status).toBe(400);
    expect(response.body.errors!.map((error) => error.extensions)).toEqual([{ code: 'OPERATION_TOO_COMPLEX', limit }]);
  }
  expect({ userRequests, businessRequests }).toEqual({ userRequests: 0, businessRequests: 0 });
});
