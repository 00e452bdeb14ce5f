/**
 * The concurrent payment workload of the payment-flow issue, and what the
 * ledger must hold after it. Customers pay (80 % to one busy business),
 * refund and transfer at random, retry transient answers with the same
 * idempotency key, and sometimes send a request twice at once, as a flaky
 * network makes an app do. Requests are spread over one gateway or several;
 * the two copies of a doubled request go to two different gateways when
 * there are several.
 */
import { randomUUID } from 'node:crypto';
import { contractOperation as op } from './contract';
import { errorCodes, postGraphQL, type GraphQLResponse } from './graphql-client';
import { ledgerInvariants } from './ledger-checks';
import { ok, type Actor } from './actors';

const TRANSIENT = new Set(['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'IDEMPOTENCY_KEY_IN_USE']);
/** Expected refusals under random load: they move no money. */
const REFUSALS = new Set(['INSUFFICIENT_FUNDS', 'REFUND_EXCEEDS_PAYMENT']);

export interface WorkloadOptions {
  /** Gateway URLs (`…/graphql`). */
  gateways: string[];
  merchant: Actor;
  /** The first is the busy one. */
  businesses: string[];
  customers: Actor[];
  /** Operations in all (70 % payments, 15 % refunds, 15 % transfers). */
  total: number;
  /** Runs before each payment request is paid, e.g. to subscribe to it. */
  beforePay?: (paymentRequestId: string) => Promise<void>;
}

export interface WorkloadOutcome {
  paid: bigint;
  refunded: bigint;
  paymentsMade: number;
  refundsMade: number;
  transfersMade: number;
  /** The ids each idempotency key was answered with, per operation: one each when money moved at most once. */
  idsByKey: { payments: Map<string, Set<string>>; refunds: Map<string, Set<string>>; transfers: Map<string, Set<string>> };
  /** Errors other than the expected refusals, e.g. `pay: INTERNAL_SERVER_ERROR`. */
  unexpected: string[];
}

const randomAmount = (maxCents: number) => {
  const cents = 100 + Math.floor(Math.random() * (maxCents - 100));
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
};
/** "12.34" → 1234n */
export const minor = (decimal: string) => BigInt(decimal.replace('.', ''));
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

export async function runPaymentWorkload(options: WorkloadOptions): Promise<WorkloadOutcome> {
  const { gateways, merchant, businesses, customers } = options;
  const outcome: WorkloadOutcome = {
    paid: 0n,
    refunded: 0n,
    paymentsMade: 0,
    refundsMade: 0,
    transfersMade: 0,
    idsByKey: { payments: new Map(), refunds: new Map(), transfers: new Map() },
    unexpected: [],
  };
  const payments: Array<{ id: string; amount: bigint }> = [];
  const note = (map: Map<string, Set<string>>, key: string, id: string) => map.set(key, (map.get(key) ?? new Set()).add(id));

  /** One request as `actor` through `gateway`, retried with the same key until the answer is not transient (a client's retry). */
  async function send(actor: Actor, operation: string, variables: Record<string, unknown>, gateway: string): Promise<GraphQLResponse> {
    for (let attempt = 1; ; attempt++) {
      const response = await postGraphQL(gateway, op(operation), variables, { token: actor.token });
      const codes = errorCodes(response);
      if (!codes.some((code) => TRANSIENT.has(code)) || attempt === 8) return response;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }

  /** Sometimes the same request twice at once, each copy through a different gateway when there are several. */
  async function maybeTwice(actor: Actor, operation: string, variables: Record<string, unknown>): Promise<GraphQLResponse[]> {
    const first = Math.floor(Math.random() * gateways.length);
    if (Math.random() >= 0.15) return [await send(actor, operation, variables, gateways[first]!)];
    return Promise.all([0, 1].map((copy) => send(actor, operation, variables, gateways[(first + copy) % gateways.length]!)));
  }

  async function pay(customer: Actor) {
    const businessId = Math.random() < 0.8 ? businesses[0]! : pick(businesses.slice(1));
    const request = ok(await send(merchant, 'CreatePaymentRequest', { input: { businessId, amount: randomAmount(20_000) } }, pick(gateways))).createPaymentRequest;
    await options.beforePay?.(request.id);
    const key = randomUUID();
    for (const response of await maybeTwice(customer, 'PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key } })) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        const payment = response.body.data!.payPaymentRequest;
        if (!outcome.idsByKey.payments.has(key)) {
          payments.push({ id: payment.id, amount: minor(payment.amount.amount) });
          outcome.paid += minor(payment.amount.amount);
          outcome.paymentsMade++;
        }
        note(outcome.idsByKey.payments, key, payment.id);
      } else if (!codes.every((code) => REFUSALS.has(code))) outcome.unexpected.push(`pay: ${codes.join(',')}`);
    }
  }

  async function refund() {
    if (payments.length === 0) return;
    const payment = pick(payments);
    const key = randomUUID();
    const amount = randomAmount(Number(payment.amount) + 1);
    for (const response of await maybeTwice(merchant, 'RefundPayment', { input: { paymentId: payment.id, amount, idempotencyKey: key } })) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        if (!outcome.idsByKey.refunds.has(key)) {
          outcome.refunded += minor(amount);
          outcome.refundsMade++;
        }
        note(outcome.idsByKey.refunds, key, response.body.data!.refundPayment.id);
      } else if (!codes.every((code) => REFUSALS.has(code))) outcome.unexpected.push(`refund: ${codes.join(',')}`);
    }
  }

  async function transfer(customer: Actor) {
    let recipient = customer;
    while (recipient === customer) recipient = pick(customers);
    const key = randomUUID();
    for (const response of await maybeTwice(customer, 'SendMoney', { input: { toUserId: recipient.id, amount: randomAmount(10_000), idempotencyKey: key } })) {
      const codes = errorCodes(response);
      if (codes.length === 0) {
        if (!outcome.idsByKey.transfers.has(key)) outcome.transfersMade++;
        note(outcome.idsByKey.transfers, key, response.body.data!.sendMoney.id);
      } else if (!codes.every((code) => REFUSALS.has(code))) outcome.unexpected.push(`transfer: ${codes.join(',')}`);
    }
  }

  let started = 0;
  await Promise.all(
    customers.map(async (customer) => {
      while (started < options.total) {
        started++;
        const dice = Math.random();
        if (dice < 0.7) await pay(customer);
        else if (dice < 0.85) await refund();
        else await transfer(customer);
      }
    }),
  );
  return outcome;
}

/**
 * The ledger after a workload: every key answered with one id (it moved
 * money at most once); all accounts sum to zero; every balance equals its
 * journal lines; no wallet or business below zero; every entry balances;
 * one entry per payment, refund and transfer; and what left the customers
 * (each topped up with `topUpMinor`) is what the businesses hold.
 */
export async function expectLedgerToMatch(paymentDatabaseUrl: string, outcome: WorkloadOutcome, parties: { businesses: string[]; customers: Actor[]; topUpMinor: bigint }) {
  expect(outcome.unexpected).toEqual([]);
  const { payments, refunds, transfers } = outcome.idsByKey;
  for (const ids of [...payments.values(), ...refunds.values(), ...transfers.values()]) expect(ids.size).toBe(1);

  const ledger = await ledgerInvariants(paymentDatabaseUrl);
  try {
    expect(ledger.sumOfAllAccounts).toBe(0n);
    expect(ledger.unbalancedEntries).toEqual([]);
    expect(ledger.balancesOffTheirLines).toEqual([]);
    expect(ledger.negativeWallets).toEqual([]);
    expect(ledger.entriesPerReference).toEqual([]);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM payments')).toBe(outcome.paymentsMade);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM refunds')).toBe(outcome.refundsMade);
    expect(await ledger.count('SELECT COUNT(*) AS n FROM transfers')).toBe(outcome.transfersMade);
    // What the payers paid, less refunds, is with the businesses and the platform's FEE account (money-out.md).
    let businessTotal = 0n;
    for (const id of parties.businesses) businessTotal += await ledger.accountBalance('BUSINESS', id);
    const fees = BigInt(await ledger.count('SELECT (SELECT COALESCE(SUM(fee), 0) FROM payments) - (SELECT COALESCE(SUM(fee), 0) FROM refunds) AS n'));
    expect(await ledger.accountBalance('FEE', 'system')).toBe(fees);
    expect(businessTotal + fees).toBe(outcome.paid - outcome.refunded);
    let walletTotal = 0n;
    for (const customer of parties.customers) walletTotal += await ledger.accountBalance('WALLET', customer.id);
    expect(walletTotal).toBe(BigInt(parties.customers.length) * parties.topUpMinor - outcome.paid + outcome.refunded);
  } finally {
    await ledger.close();
  }
}
