/**
 * Trusted documents and automatic persisted queries, through real gateways.
 * In `enforce` mode (a gateway process beside the stack's): every contract
 * operation runs by its text and by its manifest id, over HTTP and
 * graphql-ws; anything else is OPERATION_NOT_TRUSTED before any subgraph is
 * asked, and APQ registers nothing. In `off` mode (the stack's gateway, whose
 * Redis goes through a proxy, and a second replica): APQ's
 * PERSISTED_QUERY_NOT_FOUND, register, then hash only, shared through Redis;
 * and with the proxy cut, APQ still works on each replica by itself.
 */
import { randomUUID } from 'node:crypto';
import { CONTRACT_MANIFEST_PATH, readManifest, sha256Hex } from '@harbour/gateway/src/documents/manifest';
import { REDIS_URL } from '@harbour/testing';
import { Redis } from 'ioredis';
import { newPhone, ok, PASSWORD, signUp } from './support/actors';
import { contractOperation as op, contractOperationNames } from './support/contract';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { errorCodes, type GraphQLResponse } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { TcpProxy } from './support/tcp-proxy';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

const manifest = readManifest(CONTRACT_MANIFEST_PATH);
const registered = (name: string) => manifest.operations.find((operation) => operation.name === name)!;
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

let stack: RunningStack;
let proxy: TcpProxy;
let enforcing: GatewayProcess;
let replica: GatewayProcess;
let redis: Redis;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  proxy = await TcpProxy.toRedis(REDIS_URL);
  proxy.open();
  redis = new Redis(REDIS_URL);
  stack = await startStack({ GATEWAY_REDIS_URL: proxy.redisUrl });
  [enforcing, replica] = await Promise.all([
    startGatewayProcess(stack, { GATEWAY_TRUSTED_DOCUMENTS: 'enforce', GATEWAY_REDIS_URL: REDIS_URL }),
    startGatewayProcess(stack, { GATEWAY_REDIS_URL: REDIS_URL }),
  ]);
}, stackStartTimeout(180_000));

afterAll(async () => {
  for (const { client } of sockets) await client.dispose();
  await Promise.all([enforcing?.stop(), replica?.stop()]);
  await stack?.stop();
  await proxy?.close();
  redis?.disconnect();
});

/** One GraphQL request as the apps make it: a JSON POST, or a GET (with the CSRF header) for a persisted query. */
async function send(url: string, request: { body: Record<string, unknown>; get?: boolean; token?: string }): Promise<GraphQLResponse> {
  const headers: Record<string, string> = {
    'apollographql-client-name': 'harbour-tests',
    'apollographql-client-version': '1.0.0',
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
  };
  let response: Response;
  if (request.get) {
    const params = new URLSearchParams(Object.entries(request.body).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    response = await fetch(`${url}?${params}`, { headers: { ...headers, 'x-apollo-operation-name': String(request.body.operationName ?? '') } });
  } else {
    response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(request.body) });
  }
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

type Transport = 'text' | 'hash';

/** A contract operation by its verbatim text, or by its manifest id alone (queries as GET, as the contract allows). */
function contractRequest(transport: Transport, name: string, variables: Record<string, unknown>, token?: string) {
  if (transport === 'text') return send(enforcing.url, { body: { query: op(name), variables }, token });
  const { id, type } = registered(name);
  return send(enforcing.url, { body: { operationName: name, variables, extensions: persisted(id) }, get: type === 'query', token });
}

describe.each<Transport>(['text', 'hash'])('enforce mode, every contract operation by its %s', (transport) => {
  it('runs the whole contract', async () => {
    const used = new Set<string>();
    const run = async (name: string, variables: Record<string, unknown> = {}, token?: string) => {
      used.add(name);
      return ok(await contractRequest(transport, name, variables, token));
    };
    const subscribe = (token: string, name: string, variables: Record<string, unknown> = {}) => {
      used.add(name);
      const live = liveClient(enforcing.url, token);
      sockets.push(live);
      return new Collected(live.client, transport === 'text' ? op(name) : { query: '', variables, extensions: persisted(registered(name).id) }, variables);
    };
    const signUpAs = async (displayName: string) => {
      const phone = newPhone();
      const { signUp } = await run('SignUp', { input: { phone, displayName, password: PASSWORD } });
      return { id: signUp.user.id as string, phone, token: signUp.accessToken as string };
    };

    const merchant = await signUpAs('Trusted Merchant');
    const first = await signUpAs('Trusted Customer');
    const { logIn } = await run('LogIn', { input: { phone: first.phone, password: PASSWORD } });
    const { refreshSession } = await run('RefreshSession', { refreshToken: logIn.refreshToken });
    const customer = { ...first, token: refreshSession.accessToken as string };
    expect((await run('FindUserByPhone', { phone: merchant.phone }, customer.token)).userByPhone.id).toBe(merchant.id);
    expect((await run('Me', {}, customer.token)).me.id).toBe(customer.id);

    const business = (await run('RegisterBusiness', { input: { name: 'Trusted Noodles', city: 'Hong Kong' } }, merchant.token)).registerBusiness;
    expect((await run('MyBusinesses', {}, merchant.token)).me.businesses).toEqual([{ id: business.id, name: 'Trusted Noodles', city: 'Hong Kong', role: 'OWNER' }]);
    await run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: randomUUID() } }, customer.token);
    const request = (await run('CreatePaymentRequest', { input: { businessId: business.id, amount: '12.50' } }, merchant.token)).createPaymentRequest;

    const updates = subscribe(merchant.token, 'PaymentRequestUpdated', { id: request.id });
    const notices = subscribe(customer.token, 'NotificationAdded');
    expect((await updates.atLeast(1))[0]).toEqual({ data: { paymentRequestUpdated: { id: request.id, status: 'PENDING', payment: null } } });

    expect((await run('PaymentRequestByQr', { payload: request.qrPayload }, customer.token)).paymentRequestByQr.id).toBe(request.id);
    const payment = (await run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }, customer.token)).payPaymentRequest;
    expect((await updates.atLeast(2))[1]!.data!.paymentRequestUpdated).toMatchObject({ status: 'PAID', payment: { id: payment.id } });
    // The top-up's own notice may reach the socket after it opened: look for the payment's.
    const sent = await notices.first((result) => result.data?.notificationAdded.kind === 'PAYMENT_SENT');
    expect(sent.data!.notificationAdded).toMatchObject({ kind: 'PAYMENT_SENT' });

    const refund = (await run('RefundPayment', { input: { paymentId: payment.id, amount: '2.50', idempotencyKey: randomUUID() } }, merchant.token)).refundPayment;
    expect(refund.payment.status).toBe('PARTIALLY_REFUNDED');
    await run('SendMoney', { input: { toUserId: merchant.id, amount: '5.00', idempotencyKey: randomUUID() } }, customer.token);
    const spare = (await run('CreatePaymentRequest', { input: { businessId: business.id, amount: '1.00' } }, merchant.token)).createPaymentRequest;
    expect((await run('CancelPaymentRequest', { id: spare.id }, merchant.token)).cancelPaymentRequest.status).toBe('CANCELLED');

    // Timelines, notifications and friendships follow events: these read what is there, whatever has arrived.
    expect((await run('MyTimeline', { first: 10 }, customer.token)).me.timeline.pageInfo).toBeDefined();
    const notifications = (await run('MyNotifications', { first: 10 }, customer.token)).me.notifications.edges.map((edge: { node: { id: string } }) => edge.node.id);
    await run('MarkNotificationsRead', { ids: notifications }, customer.token);
    const day = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() };
    expect((await run('BusinessDashboard', { id: business.id, ...day }, merchant.token)).business.salesSummary.count).toBe(1);
    await run('AddFriend', { userId: merchant.id }, customer.token);
    await run('AddFriend', { userId: customer.id }, merchant.token);
    expect((await run('MyFriends', {}, customer.token)).me.friends.edges).toEqual(expect.any(Array));
    expect((await run('LogOut', {}, customer.token)).logOut).toBe(true);

    expect([...used].sort()).toEqual([...contractOperationNames].sort());
  });
});

describe('enforce mode, contract part 2 (the operations served so far)', () => {
  it('a shop owner adds, lists, re-roles and removes staff, and updates the business, by the verbatim texts', async () => {
    const run = async (name: string, variables: Record<string, unknown>, token: string) => {
      const response = await send(enforcing.url, { body: { query: op(name), variables }, token });
      expect([name, response.status, response.body.errors ?? []]).toEqual([name, 200, []]);
      return response.body.data as Record<string, any>;
    };
    const owner = await signUp(stack, 'Enforce Owner');
    const cashier = await signUp(stack, 'Enforce Cashier');
    const businessId = (await run('RegisterBusiness', { input: { name: 'Enforce Shop', city: 'Hong Kong' } }, owner.token)).registerBusiness.id;
    await run('UpdateBusiness', { input: { businessId, city: 'Central' } }, owner.token);
    const membershipId = (await run('AddBusinessMember', { input: { businessId, phone: cashier.phone, role: 'CASHIER' } }, owner.token)).addBusinessMember.id;
    expect((await run('BusinessMembers', { id: businessId, first: 10 }, owner.token)).business.members.edges).toHaveLength(2);
    await run('ChangeBusinessMemberRole', { input: { membershipId, role: 'MANAGER' } }, owner.token);
    expect((await run('RemoveBusinessMember', { membershipId }, owner.token)).removeBusinessMember).toBe(membershipId);
  });
});

describe('enforce mode, anything else', () => {
  const phone = newPhone();
  const unregistered = `mutation { signUp(input: { phone: "${phone}", displayName: "Sneaky", password: "${PASSWORD}" }) { user { id } } }`;

  it('an unregistered document is rejected with OPERATION_NOT_TRUSTED (HTTP 400), and nothing reaches a subgraph', async () => {
    const refused = [
      await send(enforcing.url, { body: { query: unregistered } }),
      // A contract operation with one field more is another operation.
      await send(enforcing.url, { body: { query: op('Me').replace('phone', 'phone\n    businesses { id }') } }),
      await send(enforcing.url, { body: { query: '{ __schema { types { name } } }' } }),
      await send(enforcing.url, { body: { query: '{ me { id } }' }, get: true }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(['OPERATION_NOT_TRUSTED']);
      expect(response.body.data).toBeUndefined();
    }
    // The sign-up never ran: the phone is free, and the same text through the stack's own gateway (mode off) signs up.
    const logIn = await send(stack.gatewayUrl, { body: { query: op('LogIn'), variables: { input: { phone, password: PASSWORD } } } });
    expect(errorCodes(logIn)).toEqual(['INVALID_CREDENTIALS']);
    expect(ok(await send(stack.gatewayUrl, { body: { query: unregistered } })).signUp.user.id).toMatch(/^usr_/);
  });

  it('APQ cannot register: the registration and then the hash alone are OPERATION_NOT_TRUSTED, and Redis holds nothing', async () => {
    const text = 'query Probe { probe: __typename }';
    const hash = sha256Hex(text);
    const registration = await send(enforcing.url, { body: { query: text, extensions: persisted(hash) } });
    expect(errorCodes(registration)).toEqual(['OPERATION_NOT_TRUSTED']);
    const byHash = await send(enforcing.url, { body: { extensions: persisted(hash) } });
    expect(byHash.status).toBe(400);
    expect(errorCodes(byHash)).toEqual(['OPERATION_NOT_TRUSTED']);
    expect(await redis.exists(`${stack.env.REDIS_KEY_PREFIX}apq:${hash}`)).toBe(0);
  });

  it('a registered text may carry the APQ hash of its own verbatim text', async () => {
    const text = op('LogIn');
    const response = await send(enforcing.url, { body: { query: text, variables: { input: { phone: newPhone(), password: PASSWORD } }, extensions: persisted(sha256Hex(text)) } });
    expect(errorCodes(response)).toEqual(['INVALID_CREDENTIALS']);
  });

  it('an unregistered subscription is refused on its own, by text or by hash', async () => {
    const phoneOfUser = newPhone();
    const { signUp } = ok(await send(stack.gatewayUrl, { body: { query: op('SignUp'), variables: { input: { phone: phoneOfUser, displayName: 'Listener', password: PASSWORD } } } }));
    const live = liveClient(enforcing.url, signUp.accessToken);
    sockets.push(live);
    const byText = new Collected(live.client, 'subscription { notificationAdded { id body } }');
    const byHash = new Collected(live.client, { query: '', extensions: persisted(sha256Hex('subscription { notificationAdded { id } }')) });
    for (const refused of [byText, byHash]) {
      const [result] = await refused.atLeast(1);
      expect(result!.errors!.map((error) => (error as { extensions?: { code?: string } }).extensions?.code)).toEqual(['OPERATION_NOT_TRUSTED']);
    }
    // The socket itself stays: a registered subscription on it still runs.
    const trusted = new Collected(live.client, op('PaymentRequestUpdated'), { id: 'prq_unknown' });
    const [answer] = await trusted.atLeast(1);
    expect((answer!.errors ?? []).map((error) => (error as { extensions?: { code?: string } }).extensions?.code)).not.toContain('OPERATION_NOT_TRUSTED');
  });
});

describe('off mode: automatic persisted queries', () => {
  const post = (url: string, body: Record<string, unknown>) => send(url, { body });

  it('PERSISTED_QUERY_NOT_FOUND, then register, then the hash alone works, on this replica and the other (through Redis)', async () => {
    const text = 'query Shared { shared: __typename }';
    const hash = sha256Hex(text);
    expect(errorCodes(await post(stack.gatewayUrl, { extensions: persisted(hash) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(ok(await post(stack.gatewayUrl, { query: text, extensions: persisted(hash) }))).toEqual({ shared: 'Query' });
    expect(ok(await post(stack.gatewayUrl, { extensions: persisted(hash) }))).toEqual({ shared: 'Query' });
    expect(ok(await send(replica.url, { body: { operationName: 'Shared', extensions: persisted(hash) }, get: true }))).toEqual({ shared: 'Query' });
    const ttl = await redis.ttl(`${stack.env.REDIS_KEY_PREFIX}apq:${hash}`);
    expect(ttl).toBeGreaterThan(0);
    // Manifest ids work in this mode too, without registering.
    const manifestId = await send(replica.url, { body: { operationName: 'FindUserByPhone', variables: { phone: newPhone() }, extensions: persisted(registered('FindUserByPhone').id) }, get: true });
    // Found and run: the field itself then asks for a signed-in caller.
    expect(errorCodes(manifestId)).toEqual(['UNAUTHENTICATED']);
  });

  it('a registration whose hash is not its text’s is BAD_REQUEST (HTTP 400), and registers nothing', async () => {
    const text = 'query Mismatched { mismatched: __typename }';
    const wrong = sha256Hex(`${text} `);
    const refused = await post(stack.gatewayUrl, { query: text, extensions: persisted(wrong) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }]);
    expect(await redis.exists(`${stack.env.REDIS_KEY_PREFIX}apq:${wrong}`)).toBe(0);
    expect(errorCodes(await post(stack.gatewayUrl, { extensions: persisted(wrong) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('with the gateway’s Redis cut, APQ goes on in the process: old registrations, and new ones', async () => {
    const before = 'query Before { before: __typename }';
    ok(await post(stack.gatewayUrl, { query: before, extensions: persisted(sha256Hex(before)) }));
    proxy.cut();
    try {
      const during = 'query During { during: __typename }';
      const hash = sha256Hex(during);
      expect(ok(await post(stack.gatewayUrl, { extensions: persisted(sha256Hex(before)) }))).toEqual({ before: 'Query' });
      expect(errorCodes(await post(stack.gatewayUrl, { extensions: persisted(hash) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(ok(await post(stack.gatewayUrl, { query: during, extensions: persisted(hash) }))).toEqual({ during: 'Query' });
      const byHash = await post(stack.gatewayUrl, { extensions: persisted(hash) });
      expect(byHash.status).toBe(200);
      expect(ok(byHash)).toEqual({ during: 'Query' });
      // It never reached Redis, so the other replica has not seen it.
      expect(errorCodes(await post(replica.url, { extensions: persisted(hash) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      proxy.open();
    }
  });
});
