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
import { startStack, type RunningStack } from './support/stack';
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
}, 120_000);

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
  const [customerNotice] = await customerNotices.atLeast(1);
  expect(customerNotice!.data!.notificationAdded.kind).toBe('PAYMENT_SENT');

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
