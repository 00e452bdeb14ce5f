/**
 * The bus is down while payments go on: every payment still commits (the
 * events wait in the outboxes), and once the bus is back every event is
 * delivered; none is lost. The stack's relays reach Redis through a proxy
 * the test cuts and restores; everything else uses Redis directly.
 */
import { randomUUID } from 'node:crypto';
import { RedisStreamsBus, type DomainEvent } from '@harbour/events';
import mariadb from 'mariadb';
import { ok, signUp } from './support/actors';
import { REDIS_URL } from '@harbour/testing';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { TcpProxy } from './support/tcp-proxy';

let stack: RunningStack;
let proxy: TcpProxy;

beforeAll(async () => {
  // Cut from the start: the relays never see the bus until the test restores it.
  proxy = await TcpProxy.toRedis(REDIS_URL);
  stack = await startStack({ EVENT_BUS_REDIS_URL: proxy.redisUrl });
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

async function outboxIds(url: string, where = '1 = 1'): Promise<string[]> {
  const connection = await mariadb.createConnection(url.replace(/^mysql:/, 'mariadb:'));
  try {
    return ((await connection.query(`SELECT id FROM outbox_events WHERE ${where}`)) as Array<{ id: string }>).map((row) => row.id);
  } finally {
    await connection.end();
  }
}

const storesWithOutbox = () => ['USER', 'BUSINESS', 'PAYMENT'].map((name) => stack.env[`${name}_DATABASE_URL`]!);

it('payments commit while the bus is down, and every event arrives once it is back', async () => {
  const merchant = await signUp(stack, 'Offline Merchant');
  const customer = await signUp(stack, 'Offline Customer');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Offline Cafe', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: randomUUID() } }));
  for (let i = 0; i < 10; i++) {
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.50' } })).createPaymentRequest;
    const paid = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest;
    expect(paid.status).toBe('COMPLETED');
  }
  expect(ok(await customer.run('Me')).me.wallet.balance.amount).toBe('85.00');

  // Nothing could be published: every event is still waiting in an outbox.
  const waiting = (await Promise.all(storesWithOutbox().map((url) => outboxIds(url, 'published_at IS NULL')))).flat();
  const all = (await Promise.all(storesWithOutbox().map((url) => outboxIds(url)))).flat();
  expect(waiting.sort()).toEqual(all.sort());
  // signed up ×2, registered + membership, topped up, (created + completed v1 + completed v2) ×10
  expect(all.length).toBe(2 + 2 + 1 + 30);

  const observer = new RedisStreamsBus({ redis: REDIS_URL, prefix: stack.env.REDIS_KEY_PREFIX! });
  const received: DomainEvent[] = [];
  let allArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (allArrived = resolve));
  const subscription = observer.subscribe('test-observer', 'observer-1', async (event) => {
    received.push(event);
    if (new Set(received.map((e) => e.id)).size === all.length) allArrived();
  });
  try {
    await subscription.ready;
    proxy.open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${received.length} of ${all.length} events arrived`)), 30_000)));
    await Promise.race([arrived, timeout]).finally(() => clearTimeout(timer));
    expect(new Set(received.map((event) => event.id))).toEqual(new Set(all));
    // Each payment twice: version 2, and version 1 beside it for older consumers.
    const payments = received.filter((event) => event.type === 'payment.completed' && event.version === 2);
    expect(payments).toHaveLength(10);
    expect(received.filter((event) => event.type === 'payment.completed' && event.version === 1)).toHaveLength(10);
    expect(payments[0]!.payload).toMatchObject({ businessId, businessName: 'Offline Cafe', payerUserId: customer.id, payerDisplayName: 'Offline Customer', amountMinor: '150', currency: 'HKD' });
    // Each aggregate's events arrive in the order they happened (the business: registered, then its first member).
    const businessEvents = received.filter((event) => event.aggregateId === businessId).map((event) => event.type);
    expect(businessEvents).toEqual(['business.registered', 'business.membership_changed']);
  } finally {
    await subscription.close();
    await observer.close();
  }
}, 90_000);
