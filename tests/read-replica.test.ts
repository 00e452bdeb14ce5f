/**
 * Reporting reads go to the payment store's read replica, except right after
 * a write that concerns them (read-your-writes). The "replica" here is a
 * separate, migrated, empty database: a replica that lags forever, so any
 * read it serves shows up as missing data.
 */
import { randomUUID } from 'node:crypto';
import { migrate } from '@harbour/prisma';
import { Redis } from 'ioredis';
import { ok, signUp } from './support/actors';
import { dropDatabases, MYSQL_URL, REDIS_URL, uniqueRunId } from '@harbour/testing';
import { startStack, type RunningStack } from './support/stack';

let stack: RunningStack;
const replica = (() => {
  const url = new URL(MYSQL_URL);
  url.pathname = `/hbt_${uniqueRunId()}_replica`;
  return url.toString();
})();

beforeAll(async () => {
  await migrate('payment', replica, { logger: { info: () => undefined, warn: () => undefined } });
  stack = await startStack({ PAYMENT_REPLICA_URL: replica });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await dropDatabases([replica]);
});

it('a merchant who has just been paid sees it; older reads come from the replica', async () => {
  const merchant = await signUp(stack, 'Replica Merchant');
  const customer = await signUp(stack, 'Replica Customer');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Replica Cafe', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '12.00' } })).createPaymentRequest;
  const paid = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } })).payPaymentRequest;

  const window = { id: businessId, from: '2020-01-01T00:00:00+08:00', to: '2100-01-01T00:00:00+08:00' };
  const fresh = ok(await merchant.run('BusinessDashboard', window)).business;
  expect(fresh.salesSummary.count).toBe(1);
  expect(fresh.payments.edges.map((edge: any) => edge.node.id)).toEqual([paid.id]);

  // Once the read-your-writes window has passed (its Redis mark is gone), the replica answers.
  const redis = new Redis(REDIS_URL);
  try {
    expect(await redis.del(`${stack.env.REDIS_KEY_PREFIX}recent-write:business:${businessId}`)).toBe(1);
  } finally {
    redis.disconnect();
  }
  const fromReplica = ok(await merchant.run('BusinessDashboard', window)).business;
  expect(fromReplica.salesSummary.count).toBe(0);
  expect(fromReplica.payments.edges).toEqual([]);
  // The caller's own wallet is never read from the replica.
  expect(ok(await customer.run('Me')).me.wallet.balance.amount).toBe('8.00');
});
