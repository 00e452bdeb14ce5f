/**
 * Rate limits through the whole stack, with low limits: RATE_LIMITED with
 * `retryAfterSeconds`, HTTP 429 and `Retry-After`; per user and per IP; the
 * stricter limit on logIn and userByPhone; logIn's per-account limit on
 * wrong passwords (the user subgraph's), per number however it is written;
 * X-Forwarded-For believed only from a trusted proxy; a WebSocket subscribe
 * refused without closing the socket.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { newPhone, ok, PASSWORD, phoneSpellings, signUp } from './support/actors';
import { contractOperation as op } from './support/contract';
import { errorCodes, type GraphQLResponse } from './support/graphql-client';
import { gatewayMetric } from './support/metrics';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

const PER_USER = 6;
const PER_IP = 10;
const SENSITIVE_PER_IP = 3;
const SENSITIVE_PER_USER = 2;
/** More than SENSITIVE_PER_IP, so the per-IP test's guesses stay under it. */
const FAILURES_PER_ACCOUNT = 4;
const WINDOW_SECONDS = 60;

let stack: RunningStack;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  stack = await startStack({
    GATEWAY_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    GATEWAY_RATE_LIMIT_PER_USER: String(PER_USER),
    GATEWAY_RATE_LIMIT_PER_IP: String(PER_IP),
    GATEWAY_RATE_LIMIT_SENSITIVE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    GATEWAY_RATE_LIMIT_SENSITIVE_PER_USER: String(SENSITIVE_PER_USER),
    GATEWAY_RATE_LIMIT_SENSITIVE_PER_IP: String(SENSITIVE_PER_IP),
    LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
    LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
    // The tests' own requests come from 127.0.0.1, standing in for the load balancer.
    GATEWAY_TRUSTED_PROXIES: '127.0.0.1',
  });
}, stackStartTimeout(120_000));

afterAll(async () => {
  for (const { client } of sockets) await client.dispose();
  await stack?.stop();
});

/** The stack as seen through the trusted proxy on behalf of client `ip`: every request carries X-Forwarded-For. */
const via = (ip: string): RunningStack => ({
  ...stack,
  graphql: (query, variables, options = {}) => stack.graphql(query, variables, { ...options, headers: { 'x-forwarded-for': ip, ...options.headers } }),
});

const TYPENAME = 'query Ping { __typename }';

/**
 * Expects a refusal by `limit`, in the contract's shape; returns the retry time.
 * The gateway's own limits refuse the whole request (no data); a subgraph's refuses
 * its field (`refusedField`: null), and the gateway still answers 429.
 */
function expectRateLimited(response: GraphQLResponse, limit: string, refusedField?: string): number {
  expect(response.status).toBe(429);
  expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
  const [error] = response.body.errors!;
  expect(error!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit, retryAfterSeconds: expect.any(Number) });
  const retryAfterSeconds = error!.extensions!.retryAfterSeconds as number;
  expect(response.headers.get('retry-after')).toBe(String(retryAfterSeconds));
  expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
  // At the latest once the window that is full has passed, and the one after it has decayed.
  expect(retryAfterSeconds).toBeLessThanOrEqual(2 * WINDOW_SECONDS);
  expect(response.body.data ?? null).toEqual(refusedField ? { [refusedField]: null } : null);
  return retryAfterSeconds;
}

/** POSTs from a given local address (127.0.0.2: a peer that is not a trusted proxy). */
function postFrom(localAddress: string, query: string, headers: Record<string, string>): Promise<GraphQLResponse> {
  const url = new URL(stack.gatewayUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: new Headers(response.headers as Record<string, string>), body: JSON.parse(text) }),
        );
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end(JSON.stringify({ query }));
  });
}

it('over the per-user limit: RATE_LIMITED, 429 and Retry-After, from any IP; another user from the same IP goes on', async () => {
  const refusedBefore = await gatewayMetric(stack, 'harbour_gateway_rate_limited_total', { limit: 'user' });
  const ada = await signUp(via('198.51.100.1'), 'Ada');
  for (let i = 0; i < PER_USER; i++) ok(await ada.run('Me'));
  expectRateLimited(await ada.run('Me'), 'user');
  // The limit follows the user, not the address.
  expectRateLimited(await via('198.51.100.2').graphql(op('Me'), {}, { token: ada.token }), 'user');

  const bob = await signUp(via('198.51.100.1'), 'Bob');
  expect(ok(await bob.run('Me')).me.id).toBe(bob.id);
  expect(await gatewayMetric(stack, 'harbour_gateway_rate_limited_total', { limit: 'user' })).toBe(refusedBefore + 2);
});

it('over the per-IP limit: every caller from that IP is refused, other IPs are not', async () => {
  for (let i = 0; i < PER_IP; i++) ok(await via('203.0.113.7').graphql(TYPENAME));
  expectRateLimited(await via('203.0.113.7').graphql(TYPENAME), 'ip');

  const cy = await signUp(via('203.0.113.8'), 'Cy');
  expectRateLimited(await via('203.0.113.7').graphql(op('Me'), {}, { token: cy.token }), 'ip');
  expect(ok(await cy.run('Me')).me.id).toBe(cy.id);
});

it('logIn has a stricter per-IP limit; other operations from that IP still pass', async () => {
  const dee = await signUp(via('192.0.2.1'), 'Dee');
  const guess = (ip: string, password: string) => via(ip).graphql(op('LogIn'), { input: { phone: dee.phone, password } });
  for (let i = 0; i < SENSITIVE_PER_IP; i++) expect(errorCodes(await guess('192.0.2.10', `guess ${i}`))).toEqual(['INVALID_CREDENTIALS']);
  expectRateLimited(await guess('192.0.2.10', PASSWORD), 'sensitive_ip');

  ok(await via('192.0.2.10').graphql(TYPENAME));
  expect(ok(await guess('192.0.2.11', PASSWORD)).logIn.user.id).toBe(dee.id);
});

it('wrong passwords for one number from many IPs: that number is refused, even with its password; others are not', async () => {
  const fay = await signUp(via('192.0.2.40'), 'Fay');
  const logIn = (ip: string, phone: string, password: string) => via(ip).graphql(op('LogIn'), { input: { phone, password } });
  // One guess per address, as a botnet spreads them: no per-IP limit is reached.
  for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) expect(errorCodes(await logIn(`192.0.2.${41 + i}`, fay.phone, `guess ${i}`))).toEqual(['INVALID_CREDENTIALS']);
  expectRateLimited(await logIn('192.0.2.50', fay.phone, PASSWORD), 'account', 'logIn');

  // Another account, from the same address, logs in.
  const gus = await signUp(via('192.0.2.51'), 'Gus');
  expect(ok(await logIn('192.0.2.50', gus.phone, PASSWORD)).logIn.user.id).toBe(gus.id);

  // A number with no account is refused the same way: the refusal does not tell whether it has one.
  const nobody = newPhone();
  for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) expect(errorCodes(await logIn(`192.0.2.${52 + i}`, nobody, 'guess'))).toEqual(['INVALID_CREDENTIALS']);
  expectRateLimited(await logIn('192.0.2.60', nobody, 'guess'), 'account', 'logIn');
});

it('a number refused after wrong passwords is refused however it is written, even with its password', async () => {
  const ivy = await signUp(via('192.0.2.100'), 'Ivy');
  const logIn = (ip: string, phone: string, password: string) => via(ip).graphql(op('LogIn'), { input: { phone, password } });
  for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) expect(errorCodes(await logIn(`192.0.2.${101 + i}`, ivy.phone, `guess ${i}`))).toEqual(['INVALID_CREDENTIALS']);
  for (const [i, [label, spelling]] of Object.entries(phoneSpellings(ivy.phone)).entries()) {
    const response = await logIn(`192.0.2.${110 + i}`, spelling, PASSWORD);
    expect({ label, codes: errorCodes(response) }).toEqual({ label, codes: ['RATE_LIMITED'] });
    expectRateLimited(response, 'account', 'logIn');
  }
});

it('wrong passwords under different spellings of a number add up to that one number', async () => {
  const jo = await signUp(via('192.0.2.120'), 'Jo');
  const logIn = (ip: string, phone: string, password: string) => via(ip).graphql(op('LogIn'), { input: { phone, password } });
  // Each guess written another way, as an attacker would to get a count for each spelling.
  const spellings = Object.entries(phoneSpellings(jo.phone));
  for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
    const [label, spelling] = spellings[i % spellings.length]!;
    expect({ label, codes: errorCodes(await logIn(`192.0.2.${121 + i}`, spelling, `guess ${i}`)) }).toEqual({ label, codes: ['INVALID_CREDENTIALS'] });
  }
  expectRateLimited(await logIn('192.0.2.130', jo.phone, PASSWORD), 'account', 'logIn');
});

it("a successful logIn clears its number's failures", async () => {
  const hal = await signUp(via('192.0.2.70'), 'Hal');
  const logIn = (ip: string, password: string) => via(ip).graphql(op('LogIn'), { input: { phone: hal.phone, password } });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < FAILURES_PER_ACCOUNT - 1; i++) expect(errorCodes(await logIn(`192.0.2.${71 + round * 10 + i}`, 'a typo'))).toEqual(['INVALID_CREDENTIALS']);
    expect(ok(await logIn(`192.0.2.${79 + round * 10}`, PASSWORD)).logIn.user.id).toBe(hal.id);
  }
});

it('userByPhone has a stricter per-user limit, whatever IP it comes from', async () => {
  const eve = await signUp(via('192.0.2.20'), 'Eve');
  const target = await signUp(via('192.0.2.20'), 'Target');
  const lookUp = (ip: string) => via(ip).graphql(op('FindUserByPhone'), { phone: target.phone }, { token: eve.token });
  for (let i = 0; i < SENSITIVE_PER_USER; i++) expect(ok(await lookUp(`192.0.2.${21 + i}`)).userByPhone.id).toBe(target.id);
  expectRateLimited(await lookUp('192.0.2.30'), 'sensitive_user');
  // Her other operations are within her general limit.
  expect(ok(await eve.run('Me')).me.id).toBe(eve.id);
});

it('X-Forwarded-For is believed only from a trusted proxy', async () => {
  // 127.0.0.2 is not a trusted proxy: its X-Forwarded-For, different on every request, is ignored.
  for (let i = 0; i < PER_IP; i++) {
    const response = await postFrom('127.0.0.2', TYPENAME, { 'x-forwarded-for': `198.18.0.${i}` });
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
  }
  expectRateLimited(await postFrom('127.0.0.2', TYPENAME, { 'x-forwarded-for': '198.18.1.1' }), 'ip');

  // Through the trusted proxy, hops it appended for other trusted proxies are skipped: the client is the same.
  for (let i = 0; i < PER_IP; i++) ok(await via('198.18.2.1, 127.0.0.1').graphql(TYPENAME));
  expectRateLimited(await via('198.18.2.1').graphql(TYPENAME), 'ip');
  // What the client wrote itself, left of the entry the proxy added, does not make it someone else.
  expectRateLimited(await via('10.9.9.9, 198.18.2.1').graphql(TYPENAME), 'ip');
});

it('a WebSocket subscribe over the limit is refused with RATE_LIMITED; the socket and its subscriptions stay', async () => {
  const fay = await signUp(via('192.0.2.40'), 'Fay');
  const gus = await signUp(via('192.0.2.41'), 'Gus');
  const socket = liveClient(stack.gatewayUrl, fay.token);
  sockets.push(socket);
  const subscriptions = Array.from({ length: PER_USER }, () => new Collected(socket.client, op('NotificationAdded')));
  const refused = new Collected(socket.client, op('NotificationAdded'));
  const [refusal] = await refused.atLeast(1);
  expect(refusal!.errors).toEqual([
    expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 'user', retryAfterSeconds: expect.any(Number) }) }),
  ]);

  // The socket stayed open: its subscriptions still deliver.
  ok(await gus.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: randomUUID() } }));
  ok(await gus.run('SendMoney', { input: { toUserId: fay.id, amount: '5.00', idempotencyKey: randomUUID() } }));
  for (const subscription of subscriptions) {
    const [notice] = await subscription.atLeast(1, 10_000);
    expect(notice!.data!.notificationAdded.kind).toBe('TRANSFER_RECEIVED');
  }
});
