/**
 * Money under contention, against the real MariaDB through the whole stack:
 * 20 customers make 1,000 random payments (most to one busy business),
 * refunds and transfers in parallel, with retries and deliberately repeated
 * idempotency keys (sent twice at once). Afterwards the ledger must hold:
 * all accounts sum to zero, every balance equals its journal lines, no
 * wallet or business below zero, every entry balances, and every
 * idempotency key moved money at most once.
 */
import { randomUUID } from 'node:crypto';
import { ok, signUp, type Actor } from './support/actors';
import { expectLedgerToMatch, minor, runPaymentWorkload } from './support/payment-workload';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

it('1,000 random payments, refunds and transfers keep every ledger invariant', async () => {
  const merchant = await signUp(stack, 'Busy Merchant');
  const businesses: string[] = [];
  for (const name of ['Busy Cafe', 'Quiet Books', 'Night Market']) {
    businesses.push(ok(await merchant.run('RegisterBusiness', { input: { name, city: 'Hong Kong' } })).registerBusiness.id);
  }
  const customers: Actor[] = [];
  for (let i = 0; i < 20; i++) customers.push(await signUp(stack, `Customer ${i}`));
  const TOP_UP = '5000.00';
  await Promise.all(customers.map((customer) => customer.run('TopUpWallet', { input: { amount: TOP_UP, idempotencyKey: randomUUID() } }).then(ok)));

  const outcome = await runPaymentWorkload({ gateways: [stack.gatewayUrl], merchant, businesses, customers, total: 1_000 });

  expect(outcome.paymentsMade).toBeGreaterThan(500);
  await expectLedgerToMatch(stack.env.PAYMENT_DATABASE_URL!, outcome, { businesses, customers, topUpMinor: minor(TOP_UP) });
}, 300_000);
