/**
 * Federated subscriptions through the gateway over graphql-ws, with a real
 * client: the merchant is told the moment a customer pays, with the
 * customer's name (a field the user subgraph owns); both sides get their
 * notification; only members may watch a request; tokens are checked on
 * connect and expire the socket.
 */
import { randomUUID } from 'node:crypto';
import { commonConfig } from '@harbour/config';
import { loadSigningKey, signAccessToken } from '@harbour/identity';
import { contractOperation as op } from './support/contract';
import { ok, signUp } from './support/actors';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { errorCodes } from './support/graphql-client';
import { startGatewayProcess } from './support/gateway-process';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

let stack: RunningStack;
const clients: LiveClient[] = [];
const connect = (token: string | undefined) => {
  const live = liveClient(stack.gatewayUrl, token);
  clients.push(live);
  return live;
};

beforeAll(async () => {
  stack = await startStack();
}, stackStartTimeout(120_000));

afterAll(async () => {
  for (const { client } of clients) await client.dispose();
  await stack?.stop();
});

it('the merchant sees PAID with the payer’s name, and both sides are notified', async () => {
  const merchant = await signUp(stack, 'Mrs Wong');
  const customer = await signUp(stack, 'Chan Siu Ming');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Lucky Noodles', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '42.00' } })).createPaymentRequest;

  const merchantSocket = connect(merchant.token);
  const customerSocket = connect(customer.token);
  const updates = new Collected(merchantSocket.client, op('PaymentRequestUpdated'), { id: request.id });
  const merchantNotices = new Collected(merchantSocket.client, op('NotificationAdded'));
  const customerNotices = new Collected(customerSocket.client, op('NotificationAdded'));

  // The current state first.
  const [current] = await updates.atLeast(1);
  expect(current).toEqual({ data: { paymentRequestUpdated: { id: request.id, status: 'PENDING', payment: null } } });

  const paidAt = Date.now();
  const payment = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest;
  const [, paid] = await updates.atLeast(2);
  const latencyMs = Date.now() - paidAt;
  expect(paid).toEqual({
    data: {
      paymentRequestUpdated: {
        id: request.id,
        status: 'PAID',
        payment: { id: payment.id, status: 'COMPLETED', completedAt: payment.completedAt, payer: { id: customer.id, displayName: 'Chan Siu Ming' } },
      },
    },
  });
  process.stdout.write(`paymentRequestUpdated arrived ${latencyMs} ms after PayPaymentRequest was sent\n`);

  const [merchantNotice] = await merchantNotices.atLeast(1);
  expect(merchantNotice!.data!.notificationAdded).toMatchObject({ id: expect.stringMatching(/^ntf_/), kind: 'PAYMENT_RECEIVED', createdAt: expect.any(String) });
  expect(merchantNotice!.data!.notificationAdded.body).toContain('Chan Siu Ming');
  // The top-up's own notice may reach the customer's socket after it opened: look for the payment's.
  const customerNotice = await customerNotices.first((result) => result.data?.notificationAdded.kind === 'PAYMENT_SENT');
  expect(customerNotice.data!.notificationAdded).toMatchObject({ kind: 'PAYMENT_SENT', createdAt: expect.any(String) });

  // Once per event: nothing more arrives for this payment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(updates.results).toHaveLength(2);
  expect(merchantNotices.results).toHaveLength(1);
});

it('only a member of the business may watch its request', async () => {
  const merchant = await signUp(stack, 'Owner');
  const stranger = await signUp(stack, 'Stranger');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Private Shop', city: 'Hong Kong' } })).registerBusiness.id;
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.00' } })).createPaymentRequest;
  const watching = new Collected(connect(stranger.token).client, op('PaymentRequestUpdated'), { id: request.id });
  await watching.done;
  expect(watching.results).toHaveLength(1);
  expect(watching.results[0]!.errors!.map((error: any) => error.extensions?.code)).toEqual(['FORBIDDEN']);
});

it('a missing or bad token closes the socket with 4403; so does expiry', async () => {
  expect(await connect(undefined).closed).toBe(4403);
  expect(await connect('not.a.token').closed).toBe(4403);

  const user = await signUp(stack, 'Short Lived');
  const [, payload] = user.token.split('.');
  const { sid } = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  const key = loadSigningKey(commonConfig({ HARBOUR_DATA_DIR: stack.env.HARBOUR_DATA_DIR }), {});
  // Issued 15 minutes less 2 seconds ago: valid for 2 more seconds.
  const almostExpired = await signAccessToken({ userId: user.id, sessionId: sid }, key, { issuer: 'harbour', audience: 'harbour-api' }, new Date(Date.now() - 15 * 60_000 + 2_000));
  const live = connect(almostExpired);
  const notices = new Collected(live.client, op('NotificationAdded'));
  expect(await live.closed).toBe(4403);
  await notices.done;
});

it('a subscriber on one gateway hears of a payment made through another, once', async () => {
  const second = await startGatewayProcess(stack);
  try {
    const merchant = await signUp(stack, 'Two Gateways');
    const customer = await signUp(stack, 'Other Side');
    const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Replica Shop', city: 'Hong Kong' } })).registerBusiness.id;
    ok(await customer.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: randomUUID() } }));
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '3.00' } })).createPaymentRequest;
    const live = liveClient(second.url, merchant.token);
    clients.push(live);
    const updates = new Collected(live.client, op('PaymentRequestUpdated'), { id: request.id });
    await updates.atLeast(1);
    // Paid through the stack's own gateway, not the one holding the socket.
    ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
    const [, paid] = await updates.atLeast(2);
    expect(paid!.data!.paymentRequestUpdated.status).toBe('PAID');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(updates.results).toHaveLength(2);
  } finally {
    await second.stop();
  }
});

it('bad input is refused without disturbing other subscribers', async () => {
  const merchant = await signUp(stack, 'Bystander Merchant');
  const customer = await signUp(stack, 'Bystander Customer');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Calm Shop', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '2.00' } })).createPaymentRequest;
  const socket = connect(merchant.token);
  const bystander = new Collected(socket.client, op('PaymentRequestUpdated'), { id: request.id });
  await bystander.atLeast(1);

  // On the same socket: a malformed document, an unknown field, a query.
  for (const [query, code] of [
    ['subscription { paymentRequestUpdated(id: ', 'GRAPHQL_PARSE_FAILED'],
    ['subscription { noSuchField }', undefined],
    ['query { __typename }', 'BAD_USER_INPUT'],
  ] as const) {
    const refused = new Collected(socket.client, query);
    await refused.done;
    expect(refused.results).toHaveLength(1);
    expect(refused.results[0]!.errors?.length).toBeGreaterThan(0);
    if (code) expect(JSON.stringify(refused.results[0])).toContain(code);
  }
  // Someone else's notification cannot be marked read.
  const other = await signUp(stack, 'Someone Else');
  ok(await other.run('TopUpWallet', { input: { amount: '1.00', idempotencyKey: randomUUID() } }));
  const theirs = await (async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const edges = ok(await other.run('MyNotifications', { first: 5 })).me.notifications.edges;
      if (edges.length) return edges[0].node.id as string;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no notification arrived');
  })();
  expect(errorCodes(await customer.run('MarkNotificationsRead', { ids: [theirs] }))).toEqual(['NOT_FOUND']);
  expect(ok(await other.run('MyNotifications', { first: 5 })).me.notifications.unreadCount).toBe(1);

  // The bystander still gets its update.
  ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
  const [, paid] = await bystander.atLeast(2);
  expect(paid!.data!.paymentRequestUpdated.status).toBe('PAID');
});

it('a client whose socket dies mid-stream reconnects and ends with the right state', async () => {
  const merchant = await signUp(stack, 'Flaky Network');
  const customer = await signUp(stack, 'Paying Meanwhile');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Tunnel Cafe', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '4.00' } })).createPaymentRequest;

  const first = connect(merchant.token);
  const before = new Collected(first.client, op('PaymentRequestUpdated'), { id: request.id });
  await before.atLeast(1);
  first.client.terminate();
  expect(await first.closed).not.toBe(1000);

  // Paid while the merchant's phone was in a tunnel.
  ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));

  const again = connect(merchant.token);
  const after = new Collected(again.client, op('PaymentRequestUpdated'), { id: request.id });
  const [state] = await after.atLeast(1);
  expect(state!.data!.paymentRequestUpdated).toMatchObject({ id: request.id, status: 'PAID', payment: { payer: { displayName: 'Paying Meanwhile' } } });
});
