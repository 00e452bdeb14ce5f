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
import { errorCodes, type GraphQLResponse } from './support/graphql-client';
import { ledgerInvariants } from './support/ledger-checks';
import { ok, signUp, type Actor } from './support/actors';
import { startStack, type RunningStack } from './support/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const TRANSIENT = new Set(['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'IDEMPOTENCY_KEY_IN_USE']);
/** Expected refusals under random load: they move no money. */
const REFUSALS = new Set(['INSUFFICIENT_FUNDS', 'REFUND_EXCEEDS_PAYMENT']);

/** Sends with the same key until the answer is not transient (a client's retry). */
async function withRetries(send: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    const codes = errorCodes(response);
    if (!codes.some((code) => TRANSIENT.has(code)) || attempt === 8) return response;
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

/** Sometimes the same request twice at once, as a flaky network makes an app do. */
async function maybeTwice(send: () => Promise<GraphQLResponse>): Promise<GraphQLResponse[]> {
  return Math.random() < 0.15 ? Promise.all([withRetries(send), withRetries(send)]) : [await withRetries(send)];
}

const randomAmount = (maxCents: number) => {
  const cents = 100 + Math.floor(Math.random() * (maxCents - 100));
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
};
const minor = (decimal: string) => BigInt(decimal.replace('.', ''));

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

  const payments: Array<{ id: string; amount: bigint }> = [];
  const moved = { paid: 0n, refunded: 0n, paymentsMade: 0, refundsMade: 0, transfersMade: 0 };
  const paymentIdsByKey = new Map<string, Set<string>>();
  const transferIdsByKey = new Map<string, Set<string>>();
  const refundIdsByKey = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, key: string, id: string) => map.set(key, (map.get(key) ?? new Set()).add(id));
  const unexpected: string[] = [];
  const TOTAL = 1_000;
  let started = 0;

  async function pay(customer: Actor) {
    const businessId = Math.random() < 0.8 ? businesses[0]! : businesses[1 + Math.floor(Math.random() * 2)]!;
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: randomAmount(20_000) } })).createPaymentRequest;
    const key = randomUUID();
    for (const response of await maybeTwice(() => customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key } }))) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        const payment = response.body.data!.payPaymentRequest;
        if (!paymentIdsByKey.get(key)?.has(payment.id)) {
          if (!paymentIdsByKey.has(key)) {
            payments.push({ id: payment.id, amount: minor(payment.amount.amount) });
            moved.paid += minor(payment.amount.amount);
            moved.paymentsMade++;
          }
          note(paymentIdsByKey, key, payment.id);
        }
      } else if (!codes.every((code) => REFUSALS.has(code))) unexpected.push(`pay: ${codes.join(',')}`);
    }
  }

  async function refund() {
    const payment = payments[Math.floor(Math.random() * payments.length)];
    if (!payment) return;
    const key = randomUUID();
    const amount = randomAmount(Number(payment.amount) + 1);
    for (const response of await maybeTwice(() => merchant.run('RefundPayment', { input: { paymentId: payment.id, amount, idempotencyKey: key } }))) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        const id = response.body.data!.refundPayment.id;
        if (!refundIdsByKey.has(key)) {
          moved.refunded += minor(amount);
          moved.refundsMade++;
        }
        note(refundIdsByKey, key, id);
      } else if (!codes.every((code) => REFUSALS.has(code))) unexpected.push(`refund: ${codes.join(',')}`);
    }
  }

  async function transfer(customer: Actor) {
    let recipient = customer;
    while (recipient === customer) recipient = customers[Math.floor(Math.random() * customers.length)]!;
    const key = randomUUID();
    const amount = randomAmount(10_000);
    for (const response of await maybeTwice(() => customer.run('SendMoney', { input: { toUserId: recipient.id, amount, idempotencyKey: key } }))) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        if (!transferIdsByKey.has(key)) moved.transfersMade++;
        note(transferIdsByKey, key, response.body.data!.sendMoney.id);
      } else if (!codes.every((code) => REFUSALS.has(code))) unexpected.push(`transfer: ${codes.join(',')}`);
    }
  }

  await Promise.all(
    customers.map(async (customer) => {
      while (started < TOTAL) {
        started++;
        const dice = Math.random();
        if (dice < 0.7) await pay(customer);
        else if (dice < 0.85) await refund();
        else await transfer(customer);
      }
    }),
  );

  expect(unexpected).toEqual([]);
  // Every key, however many times it was sent, answered with one id: it moved money at most once.
  for (const ids of [...paymentIdsByKey.values(), ...transferIdsByKey.values(), ...refundIdsByKey.values()]) expect(ids.size).toBe(1);
  expect(moved.paymentsMade).toBeGreaterThan(500);

  const ledger = await ledgerInvariants(stack.env.PAYMENT_DATABASE_URL!);
  try {
    expect(ledger.sumOfAllAccounts).toBe(0n);
    expect(ledger.unbalancedEntries).toEqual([]);
    expect(ledger.balancesOffTheirLines).toEqual([]);
    expect(ledger.negativeWallets).toEqual([]);
    expect(ledger.entriesPerReference).toEqual([]);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM payments')).toBe(moved.paymentsMade);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM refunds')).toBe(moved.refundsMade);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM transfers')).toBe(moved.transfersMade);
    // What left the customers is what the businesses hold: payments minus refunds.
    let businessTotal = 0n;
    for (const id of businesses) businessTotal += await ledger.accountBalance('BUSINESS', id);
    expect(businessTotal).toBe(moved.paid - moved.refunded);
    let walletTotal = 0n;
    for (const customer of customers) walletTotal += await ledger.accountBalance('WALLET', customer.id);
    expect(walletTotal).toBe(20n * minor(TOP_UP) - moved.paid + moved.refunded);
  } finally {
    await ledger.close();
  }
}, 300_000);
