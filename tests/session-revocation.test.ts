/**
 * A revoked session's subscription sockets close at once, on every gateway
 * replica: the user subgraph publishes each revocation and each gateway
 * closes that session's sockets with 4403. The gateways' periodic check is
 * set to a minute here, so a close within seconds is the push's doing (or,
 * after a Redis outage, the check of every open session made on its return).
 * In this process: the user subgraph and two gateways on one Redis prefix,
 * on a real MariaDB store and Redis; the second gateway's subscriber
 * connection reaches Redis through a proxy that a test cuts.
 */
import fs from 'node:fs';
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
import { deleteRedisPrefix, dropDatabases, REDIS_URL, testDatabaseUrls, uniqueRunId } from '@harbour/testing';
import { buildUserSubgraph } from '@harbour/user-subgraph/src/build';
import { redisSessionRevocations, type SessionRevocations } from '@harbour/user-subgraph/src/domain/revocations';
import { Redis } from 'ioredis';
import { PASSWORD, newPhone } from './support/actors';
import { contractOperation as op } from './support/contract';
import { postGraphQL } from './support/graphql-client';
import { TcpProxy } from './support/tcp-proxy';
import { closeCodeWithin, liveClient, type LiveClient } from './support/ws-client';

const runId = uniqueRunId();
const databases = testDatabaseUrls(runId);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-revocation-'));
const redisKeyPrefix = `hbt:${runId}:`;
const logger = createLogger('test', 'silent');
/** Long beside the waits below: a socket closed within them was closed by the push, not by the periodic check. */
const PERIODIC_CHECK_SECONDS = '60';
const CLOSE_WAIT_MS = 3_000;

let redis: Redis;
let proxy: TcpProxy;
let userStore: ReturnType<typeof createUserStore>;
let user: RunningServer;
let revocations: SessionRevocations;
const gateways: RunningServer[] = [];
/** The GraphQL URL of each gateway: the first reaches Redis directly, the second's subscriber through the proxy. */
let first: string;
let second: string;
const clients: LiveClient[] = [];

beforeAll(async () => {
  await migrate('user', databases.user);
  const config = commonConfig({ HARBOUR_DATA_DIR: dataDir, REDIS_KEY_PREFIX: redisKeyPrefix });
  const identitySecret = loadIdentitySecret(config, {});
  redis = new Redis(REDIS_URL);
  revocations = redisSessionRevocations(redis, redisKeyPrefix);
  userStore = createUserStore(databases.user);
  user = buildUserSubgraph({ config, store: userStore, redis, signingKeys: loadSigningKeys(config, {}), identitySecret, logger, passwordCost: 10 });
  const userPort = await user.start(0, '127.0.0.1');
  proxy = await TcpProxy.toRedis(REDIS_URL);
  proxy.open();
  const env = {
    HARBOUR_DATA_DIR: dataDir,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    USER_SUBGRAPH_URL: `http://127.0.0.1:${userPort}/graphql`,
    GATEWAY_WS_REVOCATION_CHECK_SECONDS: PERIODIC_CHECK_SECONDS,
  };
  // Each gateway's revocation checks use the `redis` given; its subscriptions connect to GATEWAY_REDIS_URL.
  const urls = [];
  for (const gatewayEnv of [env, { ...env, GATEWAY_REDIS_URL: proxy.redisUrl }]) {
    const gateway = buildGateway({ config: gatewayConfig(gatewayEnv), redis, identitySecret, logger, env: gatewayEnv });
    gateways.push(gateway);
    urls.push(`http://127.0.0.1:${await gateway.start(0, '127.0.0.1')}/graphql`);
  }
  [first, second] = urls as [string, string];
}, 60_000);

afterAll(async () => {
  for (const { client } of clients) await client.dispose();
  for (const gateway of gateways) await gateway.stop();
  await user?.stop();
  await userStore?.$disconnect();
  redis?.disconnect();
  await proxy?.close();
  await dropDatabases(Object.values(databases));
  await deleteRedisPrefix(redisKeyPrefix);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A new user, by phone number. */
async function signUp(): Promise<string> {
  const phone = newPhone();
  const response = await postGraphQL(first, op('SignUp'), { input: { phone, displayName: 'Revoked Later', password: PASSWORD } });
  if (response.body.errors) throw new Error(`SignUp failed: ${JSON.stringify(response.body.errors)}`);
  return phone;
}

/** A new session of the user with `phone`: its access token and its id. */
async function logIn(phone: string): Promise<{ token: string; sessionId: string }> {
  const response = await postGraphQL(first, op('LogIn'), { input: { phone, password: PASSWORD } });
  if (response.body.errors) throw new Error(`LogIn failed: ${JSON.stringify(response.body.errors)}`);
  const token = response.body.data!.logIn.accessToken as string;
  const { sid } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string };
  return { token, sessionId: sid };
}

/** A socket on `gatewayUrl`, once the gateway has accepted its token. */
async function openSocket(gatewayUrl: string, token: string): Promise<LiveClient> {
  const live = liveClient(gatewayUrl, token);
  clients.push(live);
  await live.connected;
  return live;
}

it('a revocation closes every socket of the session on every gateway with 4403, and no other session’s', async () => {
  const phone = await signUp();
  const revoked = await logIn(phone);
  const other = await logIn(phone);
  const sockets = [await openSocket(first, revoked.token), await openSocket(second, revoked.token), await openSocket(second, revoked.token)];
  const bystanders = [await openSocket(first, other.token), await openSocket(second, other.token)];

  await revocations.announce(revoked.sessionId);

  expect(await Promise.all(sockets.map((live) => closeCodeWithin(live, CLOSE_WAIT_MS)))).toEqual([4403, 4403, 4403]);
  expect(await Promise.all(bystanders.map((live) => closeCodeWithin(live, 500)))).toEqual(['open', 'open']);
});

it('a revocation published while a gateway’s subscriber was cut from Redis closes the socket when Redis is back', async () => {
  const revoked = await logIn(await signUp());
  const live = await openSocket(second, revoked.token);

  proxy.cut();
  // Published while the second gateway cannot hear it; the key stays in Redis.
  await revocations.announce(revoked.sessionId);
  expect(await closeCodeWithin(live, 500)).toBe('open');
  proxy.open();

  // Back, the gateway checks every open session at once (ioredis reconnects within a couple of seconds).
  expect(await closeCodeWithin(live, 10_000)).toBe(4403);
});
