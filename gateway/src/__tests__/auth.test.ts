import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { revokedSessionKey, signAccessToken, type SigningKey } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { deleteRedisPrefix, killRedisPubSubClient, REDIS_URL, uniqueRunId, waitUntil } from '@harbour/testing';
import { Redis } from 'ioredis';
import { exportJWK } from 'jose';
import { createAuthenticator, type Authenticator } from '../auth';

const audience = { issuer: 'https://harbour.test', audience: 'harbour-api' };

function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, publicKey };
}

async function jwkOf(key: { kid: string; publicKey: KeyObject }) {
  return { ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'ES256', use: 'sig' };
}

/**
 * The authenticator against a real JWKS endpoint and real Redis: what it
 * remembers of a verified token never outlives the token's expiry, its
 * session or its key.
 */
describe('the gateway authenticator', () => {
  const prefix = `hbt:${uniqueRunId()}:`;
  const redis = new Redis(REDIS_URL);
  const published: SigningKey[] = [];
  let jwksFetches = 0;
  let server: http.Server;
  let authenticator: Authenticator;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      jwksFetches++;
      void Promise.all(published.map(jwkOf)).then((keys) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    authenticator = createAuthenticator({
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
      audience,
      redis,
      redisKeyPrefix: prefix,
      logger: createLogger('auth-test', 'silent'),
      keysMaxAgeMs: 100,
    });
  });

  afterAll(async () => {
    authenticator.close();
    await deleteRedisPrefix(prefix);
    redis.disconnect();
    await new Promise((resolve) => server.close(resolve));
  });

  const bearer = (token: string) => `Bearer ${token}`;
  const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { extensions?: { code?: string } }) => error.extensions?.code);

  it('accepts a token again and again, and refuses it once its session is revoked', async () => {
    const key = newKey('k-revoke');
    published.push(key);
    const token = await signAccessToken({ userId: 'usr_1', sessionId: 'ses_revoke' }, key, audience);
    for (let i = 0; i < 3; i++) expect(await authenticator.authenticate(bearer(token))).toEqual({ kind: 'user', userId: 'usr_1', sessionId: 'ses_revoke' });
    await redis.set(revokedSessionKey(prefix, 'ses_revoke'), '1');
    // Redis announces the revocation on the watch's own connection, a moment after it answered this one's SET.
    await waitUntil(async () => (await refusal(authenticator.authenticate(bearer(token)))) === 'UNAUTHENTICATED', 'the token is refused');
    for (let i = 0; i < 3; i++) expect(await refusal(authenticator.authenticate(bearer(token)))).toBe('UNAUTHENTICATED');
  });

  it('asks Redis about a session once while the revocation watch is on, and on every request while it is off', async () => {
    const key = published[0]!;
    const token = await signAccessToken({ userId: 'usr_5', sessionId: 'ses_watched' }, key, audience);
    const exists = jest.spyOn(redis, 'exists');
    try {
      await waitUntil(async () => {
        exists.mockClear();
        for (let i = 0; i < 5; i++) await authenticator.authenticate(bearer(token));
        return exists.mock.calls.length <= 1;
      }, 'the watch remembers the session');
      exists.mockClear();
      for (let i = 0; i < 5; i++) await authenticator.authenticate(bearer(token));
      expect(exists).not.toHaveBeenCalled();

      // Its connection cut: every request asks Redis until the watch is back.
      await killRedisPubSubClient(`harbour-gateway-revocations-${process.pid}`);
      await waitUntil(async () => {
        exists.mockClear();
        await authenticator.authenticate(bearer(token));
        return exists.mock.calls.length === 1;
      }, 'the watch forgets');
      await waitUntil(async () => {
        exists.mockClear();
        for (let i = 0; i < 5; i++) await authenticator.authenticate(bearer(token));
        return exists.mock.calls.length <= 1;
      }, 'the watch is back');
    } finally {
      exists.mockRestore();
    }
  });

  it('refuses a token it accepted before once the token has expired', async () => {
    const key = published[0]!;
    // Issued 15 minutes minus 2 seconds ago: valid for one to two more seconds (claims are whole seconds,
    // so "minus 1 second" could leave a few milliseconds, gone before a loaded machine verified it).
    const token = await signAccessToken({ userId: 'usr_2', sessionId: 'ses_expiry' }, key, audience, new Date(Date.now() - 898_000));
    const caller = await authenticator.authenticateUntil(bearer(token));
    expect(caller.identity).toEqual({ kind: 'user', userId: 'usr_2', sessionId: 'ses_expiry' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, caller.expiresAt! * 1000 - Date.now()) + 50));
    expect(await refusal(authenticator.authenticate(bearer(token)))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token it accepted before once its key is withdrawn from the JWKS', async () => {
    const withdrawn = newKey('k-withdrawn');
    published.push(withdrawn);
    const token = await signAccessToken({ userId: 'usr_3', sessionId: 'ses_key' }, withdrawn, audience);
    expect(await authenticator.authenticate(bearer(token))).toEqual({ kind: 'user', userId: 'usr_3', sessionId: 'ses_key' });
    published.splice(published.indexOf(withdrawn), 1);
    const fetchesBefore = jwksFetches;
    // The keys are older than keysMaxAgeMs: the next request starts a fetch, which takes the key away.
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (let attempt = 0; attempt < 50 && jwksFetches === fetchesBefore; attempt++) {
      await authenticator.authenticate(bearer(token)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(jwksFetches).toBeGreaterThan(fetchesBefore);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await refusal(authenticator.authenticate(bearer(token)))).toBe('UNAUTHENTICATED');
  });

  it('never takes a tampered copy of a token it accepted', async () => {
    const key = published[0]!;
    const token = await signAccessToken({ userId: 'usr_4', sessionId: 'ses_tamper' }, key, audience);
    expect(await authenticator.authenticate(bearer(token))).toEqual({ kind: 'user', userId: 'usr_4', sessionId: 'ses_tamper' });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'usr_5' })).toString('base64url')}.${signature}`;
    expect(await refusal(authenticator.authenticate(bearer(forged)))).toBe('UNAUTHENTICATED');
  });
});
