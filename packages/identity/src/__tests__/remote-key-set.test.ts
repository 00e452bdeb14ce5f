import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commonConfig } from '@harbour/config';
import { InvalidAccessToken, createRemoteKeySet, loadSigningKeys, rotateSigningKey, signAccessToken, verifyAccessToken } from '..';

const audience = { issuer: 'harbour', audience: 'harbour-api' };
let directory: string;
let server: http.Server;
let fetches = 0;
let url: string;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'harbour-keys-'));
  rotateSigningKey(directory, new Date(Date.now() - 60_000));
  const keys = loadSigningKeys(commonConfig({}), { JWT_KEYS_DIR: directory });
  // The user subgraph's JWKS route, counted.
  server = http.createServer((_req, res) => {
    fetches += 1;
    res.setHeader('content-type', 'application/json').end(JSON.stringify(keys.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(directory, { recursive: true, force: true });
});

const token = (userId: string) => signAccessToken({ userId, sessionId: 'ses_1', scopes: ['ledger:audit'] }, loadSigningKeys(commonConfig({}), { JWT_KEYS_DIR: directory }).current(), audience);

it('the newest key of the directory signs, every key is published, and a rotation needs no reload of the holder', async () => {
  const keys = loadSigningKeys(commonConfig({}), { JWT_KEYS_DIR: directory });
  const before = keys.current().kid;
  const { kid } = rotateSigningKey(directory);
  expect(keys.current().kid).toBe(kid);
  expect(keys.jwks().keys.map((key) => key.kid)).toEqual([kid, before]);
});

it('a new kid is fetched once for every request that needs it, then held; scopes come back from the token', async () => {
  const keySet = createRemoteKeySet({ url, cooldownMs: 50 });
  expect(await keySet.ensureLoaded()).toBe(true);
  const start = fetches;
  rotateSigningKey(directory);
  const tokens = await Promise.all(['usr_a', 'usr_b', 'usr_c'].map(token));
  const claims = await Promise.all(tokens.map((t) => verifyAccessToken(t, keySet.getKey, audience)));
  expect(claims.map((c) => [c.userId, c.scopes])).toEqual([
    ['usr_a', ['ledger:audit']],
    ['usr_b', ['ledger:audit']],
    ['usr_c', ['ledger:audit']],
  ]);
  await verifyAccessToken(tokens[0]!, keySet.getKey, audience);
  expect(fetches - start).toBe(1);
});

it('a kid nobody published is refused after one more fetch', async () => {
  const keySet = createRemoteKeySet({ url, cooldownMs: 10 });
  await keySet.ensureLoaded();
  const start = fetches;
  const valid = await token('usr_x');
  const [header, payload, signature] = valid.split('.');
  const forgedHeader = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header!, 'base64url').toString()), kid: 'no-such-key' })).toString('base64url');
  await expect(verifyAccessToken(`${forgedHeader}.${payload}.${signature}`, keySet.getKey, audience)).rejects.toEqual(new InvalidAccessToken('unknown-key'));
  expect(fetches - start).toBe(1);
});
