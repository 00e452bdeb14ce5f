/**
 * Webhooks (contract part 4, partners.md "Webhooks") through the gateway on
 * the whole stack, with the delivery worker `npm start` runs: every webhook
 * operation verbatim from the contract; an OWNER's endpoint on a local
 * receiver gets a customer's payment as `payment.completed`, verified with
 * the `standardwebhooks` package; tests, the deliveries list, redelivery
 * with the same webhook-id; OWNERs only; bad input → BAD_USER_INPUT. The
 * event bus (Redis Streams) is reached through a TCP proxy: a payment made
 * while it is cut still arrives, once it is back (the outbox keeps it).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REDIS_URL } from '@harbour/testing';
import { Webhook } from 'standardwebhooks';
import { merchantAndCustomer, ok, signUp, type Actor } from './support/actors';
import { eventually } from './support/eventually';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { TcpProxy } from './support/tcp-proxy';

jest.setTimeout(120_000);

let stack: RunningStack;
let bus: TcpProxy;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(200).end('thanks');
  });
});
let receiverUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/harbour`;
  bus = await TcpProxy.toRedis(REDIS_URL);
  bus.open();
  stack = await startStack({ LOG_LEVEL: 'error', WEBHOOK_RETRY_SCHEDULE: '200ms,400ms', WEBHOOK_TIMEOUT_SECONDS: '2', EVENT_BUS_REDIS_URL: bus.redisUrl });
}, stackStartTimeout(60_000));

afterAll(async () => {
  await stack?.stop();
  await bus?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const codes = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) => (response.body.errors ?? []).map((error) => error.extensions?.code);

/** The notification subgraph learns of a new business's OWNER from events: the first endpoint may wait for it (about a second). */
async function createEndpoint(owner: Actor, input: Record<string, unknown>) {
  return eventually(
    () => owner.run('CreateWebhookEndpoint', { input }),
    (answer) => expect(codes(answer)).not.toContain('NOT_FOUND'),
    10_000,
  );
}

const ofEvent = (eventId: string) => received.filter((request) => request.headers['webhook-id'] === eventId);

test('an OWNER subscribes a local receiver; a payment arrives as payment.completed, signed per Standard Webhooks, shaped per partners.md', async () => {
  const { merchant, customer, businessId } = await merchantAndCustomer(stack, 'Hooks');
  const made = ok(await createEndpoint(merchant, { businessId, url: receiverUrl, eventTypes: ['payment.completed', 'refund.completed', 'payment.completed'], description: 'Till system' })).createWebhookEndpoint;
  expect(made.endpoint).toEqual({ id: expect.stringMatching(/^whe_[0-9A-HJKMNP-TV-Z]{26}$/), url: receiverUrl, eventTypes: ['payment.completed', 'refund.completed'], description: 'Till system', status: 'ENABLED', createdAt: expect.any(String) });
  expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

  ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '88.50', reference: 'ORDER-42' } })).createPaymentRequest;
  const paid = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest;

  const hook = await eventually(
    async () => received.find((r) => JSON.parse(r.body).data?.businessId === businessId && JSON.parse(r.body).type === 'payment.completed'),
    (found) => expect(found).toBeDefined(),
    15_000,
  );
  const payload = new Webhook(made.secret).verify(hook!.body, hook!.headers as Record<string, string>) as Record<string, any>;
  const paymentId = paid.id;
  expect(payload).toEqual({
    id: expect.stringMatching(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/),
    type: 'payment.completed',
    createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    apiVersion: '2026-12-01',
    data: {
      id: paymentId,
      status: 'COMPLETED',
      source: 'PAYMENT_REQUEST',
      amount: { amount: '88.50', currencyCode: 'HKD' },
      refundedAmount: { amount: '0.00', currencyCode: 'HKD' },
      reference: 'ORDER-42',
      completedAt: expect.any(String),
      businessId,
    },
  });
  expect(hook!.headers['webhook-id']).toBe(payload.id);
  // The same field names as PartnerPayment answers.
  const partner = ok(await merchant.run('PartnerPayment', { id: paymentId })).payment;
  expect(Object.keys(payload.data).sort()).toEqual([...Object.keys(partner), 'businessId'].sort());

  // The deliveries list, then a redelivery: sent again now, with the same webhook-id.
  const listed = await eventually(
    async () => ok(await merchant.run('WebhookDeliveries', { id: made.endpoint.id, first: 10 })).webhookEndpoint,
    (endpoint) => expect(endpoint.deliveries.edges[0]?.node.status).toBe('SUCCEEDED'),
  );
  expect(listed).toMatchObject({ id: made.endpoint.id, status: 'ENABLED', disabledReason: null, deliveries: { pageInfo: { hasNextPage: false } } });
  const delivery = listed.deliveries.edges[0].node;
  expect(delivery).toEqual({
    id: expect.stringMatching(/^whd_/),
    eventId: payload.id,
    eventType: 'payment.completed',
    status: 'SUCCEEDED',
    attempts: 1,
    lastResponseStatus: 200,
    lastDurationMs: expect.any(Number),
    lastAttemptAt: expect.any(String),
    nextAttemptAt: null,
  });
  const again = ok(await merchant.run('RedeliverWebhook', { deliveryId: delivery.id })).redeliverWebhook;
  expect(again).toMatchObject({ id: delivery.id, status: 'PENDING', attempts: 1, nextAttemptAt: expect.any(String) });
  await eventually(async () => ofEvent(payload.id).length, (n) => expect(n).toBe(2));
  const [first, second] = ofEvent(payload.id);
  expect(second!.body).toBe(first!.body);
  expect(() => new Webhook(made.secret).verify(second!.body, second!.headers as Record<string, string>)).not.toThrow();
  await eventually(
    async () => ok(await merchant.run('WebhookDeliveries', { id: made.endpoint.id, first: 1 })).webhookEndpoint.deliveries,
    (page) => expect(page.edges[0].node).toMatchObject({ id: delivery.id, status: 'SUCCEEDED', attempts: 2 }),
  );
});

test('sendTestWebhook, updating, rotating (both secrets sign for 24 hours), deleting', async () => {
  const { merchant, businessId } = await merchantAndCustomer(stack, 'HookAdmin');
  const made = ok(await createEndpoint(merchant, { businessId, url: receiverUrl, eventTypes: ['payout.paid'] })).createWebhookEndpoint;
  const id = made.endpoint.id;

  const test = ok(await merchant.run('SendTestWebhook', { id })).sendTestWebhook;
  expect(test).toEqual({ id: expect.stringMatching(/^whd_/), eventType: 'webhook.test', status: 'PENDING' });
  const testHook = await eventually(
    async () => received.find((r) => JSON.parse(r.body).type === 'webhook.test' && JSON.parse(r.body).data.endpointId === id),
    (found) => expect(found).toBeDefined(),
  );
  expect(new Webhook(made.secret).verify(testHook!.body, testHook!.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test', data: { endpointId: id, businessId } });

  const updated = ok(await merchant.run('UpdateWebhookEndpoint', { input: { endpointId: id, eventTypes: ['statement.ready', 'payout.failed'], enabled: false } })).updateWebhookEndpoint;
  expect(updated).toEqual({ id, url: receiverUrl, eventTypes: ['payout.failed', 'statement.ready'], status: 'DISABLED' });
  expect(ok(await merchant.run('WebhookDeliveries', { id, first: 5 })).webhookEndpoint).toMatchObject({ status: 'DISABLED', disabledReason: expect.any(String) });
  expect(ok(await merchant.run('UpdateWebhookEndpoint', { input: { endpointId: id, enabled: true } })).updateWebhookEndpoint.status).toBe('ENABLED');

  const rotated = ok(await merchant.run('RotateWebhookSecret', { id })).rotateWebhookSecret;
  expect(rotated.secret).toMatch(/^whsec_/);
  expect(rotated.secret).not.toBe(made.secret);
  ok(await merchant.run('SendTestWebhook', { id }));
  const after = await eventually(
    async () => received.filter((r) => JSON.parse(r.body).type === 'webhook.test' && JSON.parse(r.body).data.endpointId === id),
    (found) => expect(found).toHaveLength(2),
  );
  for (const secret of [made.secret, rotated.secret]) expect(() => new Webhook(secret).verify(after[1]!.body, after[1]!.headers as Record<string, string>)).not.toThrow();

  expect(ok(await merchant.run('DeleteWebhookEndpoint', { id })).deleteWebhookEndpoint).toBe(true);
  expect(codes(await merchant.run('WebhookDeliveries', { id, first: 5 }))).toEqual(['NOT_FOUND']);
  expect(codes(await merchant.run('DeleteWebhookEndpoint', { id }))).toEqual(['NOT_FOUND']);
});

test('OWNERs only: a CASHIER gets FORBIDDEN, a stranger NOT_FOUND; bad url, eventTypes, description and first are BAD_USER_INPUT naming the field', async () => {
  const { merchant: owner, businessId } = await merchantAndCustomer(stack, 'HookRules');
  const cashier = await signUp(stack, 'HookRules Cashier');
  ok(await owner.run('AddBusinessMember', { input: { businessId, phone: cashier.phone, role: 'CASHIER' } }));
  const input = { businessId, url: receiverUrl, eventTypes: ['payment.completed'] };
  const { id } = ok(await createEndpoint(owner, input)).createWebhookEndpoint.endpoint;

  await eventually(() => cashier.run('CreateWebhookEndpoint', { input }), (answer) => expect(codes(answer)).toEqual(['FORBIDDEN']), 10_000);
  expect(codes(await cashier.run('WebhookDeliveries', { id, first: 5 }))).toEqual(['FORBIDDEN']);
  expect(codes(await cashier.run('SendTestWebhook', { id }))).toEqual(['FORBIDDEN']);
  expect(codes(await cashier.run('RotateWebhookSecret', { id }))).toEqual(['FORBIDDEN']);
  const stranger = await signUp(stack, 'HookRules Stranger');
  expect(codes(await stranger.run('CreateWebhookEndpoint', { input }))).toEqual(['NOT_FOUND']);
  expect(codes(await stranger.run('WebhookDeliveries', { id, first: 5 }))).toEqual(['NOT_FOUND']);
  expect(codes(await stranger.run('DeleteWebhookEndpoint', { id }))).toEqual(['NOT_FOUND']);

  for (const [field, value] of [
    ['url', 'ftp://example.com/hook'],
    ['url', 'not a url'],
    ['url', `https://example.com/${'a'.repeat(2040)}`],
    ['eventTypes', []],
    ['eventTypes', ['payment.completed', 'payment.teleported']],
    ['eventTypes', ['webhook.test']],
    ['description', 'x'.repeat(141)],
  ] as const) {
    const answer = await owner.run('CreateWebhookEndpoint', { input: { ...input, [field]: value } });
    expect({ field, codes: codes(answer), named: answer.body.errors?.[0]?.extensions?.field }).toEqual({ field, codes: ['BAD_USER_INPUT'], named: field });
  }
  for (const first of [0, 101]) expect(codes(await owner.run('WebhookDeliveries', { id, first }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await owner.run('WebhookDeliveries', { id, first: 5, after: 'bm90IGEgY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await owner.run('RedeliverWebhook', { deliveryId: 'whd_01JD0000000000000000000000' }))).toEqual(['NOT_FOUND']);
});

test('Redis (the event bus) down during a payment loses no webhook: it arrives once the bus is back', async () => {
  const { merchant, customer, businessId } = await merchantAndCustomer(stack, 'HookOutage');
  const { secret } = ok(await createEndpoint(merchant, { businessId, url: receiverUrl, eventTypes: ['payment.completed'] })).createWebhookEndpoint;
  ok(await customer.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '12.30' } })).createPaymentRequest;
  const ours = () => received.filter((r) => JSON.parse(r.body).data?.businessId === businessId);

  bus.cut();
  try {
    ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Nothing can have reached the notification subgraph yet: the event waits in the payment subgraph's outbox.
    expect(ours()).toEqual([]);
  } finally {
    bus.open();
  }
  const [hook] = await eventually(async () => ours(), (found) => expect(found).toHaveLength(1), 30_000);
  expect(new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>)).toMatchObject({ type: 'payment.completed', data: { amount: { amount: '12.30', currencyCode: 'HKD' }, businessId } });
});
