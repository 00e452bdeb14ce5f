/**
 * Money out (contract part 3, money-out.md), through the gateway on the
 * whole stack: the fee fixed on every payment and given back in proportion
 * by refunds, `payment(id)` with `fee`/`net` for the business only, and the
 * business's balance. Every operation verbatim from the contract.
 */
import { randomUUID } from 'node:crypto';
import { ok, signUp, type Actor } from './support/actors';
import { connectToDatabase } from './support/database';
import { ledgerInvariants } from './support/ledger-checks';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
}, stackStartTimeout(60_000));

afterAll(async () => {
  await stack?.stop();
});

const codes = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) => (response.body.errors ?? []).map((error) => error.extensions?.code);
const key = () => randomUUID();
const hkd = (amount: string) => ({ amount, currencyCode: 'HKD' });

let shops = 0;
/** A business with an OWNER, a MANAGER and a CASHIER, and a customer with HK$1,000.00. */
async function shop(label = 'MoneyOut') {
  const n = shops++;
  const [owner, manager, cashier, customer] = await Promise.all(['Owner', 'Manager', 'Cashier', 'Customer'].map((name) => signUp(stack, `${label} ${name} ${n}`)));
  const businessId = ok(await owner!.run('RegisterBusiness', { input: { name: `${label} ${n}`, city: 'Wan Chai' } })).registerBusiness.id as string;
  for (const [actor, role] of [[manager!, 'MANAGER'], [cashier!, 'CASHIER']] as const) {
    ok(await owner!.run('AddBusinessMember', { input: { businessId, phone: actor.phone, role } }));
  }
  ok(await customer!.run('TopUpWallet', { input: { amount: '1000.00', idempotencyKey: key() } }));
  return { businessId, owner: owner!, manager: manager!, cashier: cashier!, customer: customer! };
}

async function requestAndPay(creator: Actor, payer: Actor, businessId: string, amount: string) {
  const request = ok(await creator.run('CreatePaymentRequest', { input: { businessId, amount } })).createPaymentRequest;
  return ok(await payer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
}

const balanceOf = async (actor: Actor, businessId: string) => ok(await actor.run('BusinessBalance', { id: businessId })).business;

async function setFeeRate(businessId: string, bps: number) {
  // Staff set a business's rate (contract part 5's setBusinessFeeRate); until the console lands, its row directly.
  const db = await connectToDatabase(stack.env.PAYMENT_DATABASE_URL!);
  try {
    await db.query('INSERT INTO business_fee_rates (business_id, fee_rate_bps, updated_at) VALUES (?, ?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE fee_rate_bps = VALUES(fee_rate_bps)', [businessId, bps]);
  } finally {
    await db.end();
  }
}

async function expectLedgerWhole() {
  const ledger = await ledgerInvariants(stack.env.PAYMENT_DATABASE_URL!);
  try {
    expect([ledger.sumOfAllAccounts, ledger.unbalancedEntries, ledger.balancesOffTheirLines, ledger.negativeWallets]).toEqual([0n, [], [], []]);
    const fees = BigInt(await ledger.count('SELECT (SELECT COALESCE(SUM(fee), 0) FROM payments) - (SELECT COALESCE(SUM(fee), 0) FROM refunds) AS n'));
    expect(await ledger.accountBalance('FEE', 'system')).toBe(fees);
  } finally {
    await ledger.close();
  }
}

describe('fees', () => {
  it('fixes the fee on each payment (1.20 % by default, half up), shows it to the business only, and keeps net in the balance', async () => {
    const s = await shop('Fees');
    const paid = await requestAndPay(s.cashier, s.customer, s.businessId, '12.50');
    const asBusiness = { id: paid.id, amount: hkd('12.50'), fee: hkd('0.15'), net: hkd('12.35'), refundedAmount: hkd('0.00') };
    expect(ok(await s.owner.run('PaymentFees', { id: paid.id })).payment).toEqual(asBusiness);
    expect(ok(await s.manager.run('PaymentFees', { id: paid.id })).payment).toEqual(asBusiness);
    // The CASHIER who asked for it sees it; the payer sees the payment without the business's fee.
    expect(ok(await s.cashier.run('PaymentFees', { id: paid.id })).payment).toEqual(asBusiness);
    const asPayer = await s.customer.run('PaymentFees', { id: paid.id });
    expect(asPayer.body.data!.payment).toEqual({ id: paid.id, amount: hkd('12.50'), fee: null, net: null, refundedAmount: hkd('0.00') });
    expect(codes(asPayer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    // Anyone else: it does not exist.
    const stranger = await signUp(stack, 'Fees Stranger');
    expect(codes(await stranger.run('PaymentFees', { id: paid.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await s.owner.run('PaymentFees', { id: 'pay_01JD0000000000000000000000' }))).toEqual(['NOT_FOUND']);

    // Half up to the cent: HK$10.00 at 1.25 % is 12.5 cents → 13.
    await setFeeRate(s.businessId, 125);
    const halfUp = await requestAndPay(s.owner, s.customer, s.businessId, '10.00');
    expect(ok(await s.owner.run('PaymentFees', { id: halfUp.id })).payment).toMatchObject({ fee: hkd('0.13'), net: hkd('9.87') });
    // A later rate change never touches a payment made before it.
    await setFeeRate(s.businessId, 300);
    expect(ok(await s.owner.run('PaymentFees', { id: halfUp.id })).payment.fee).toEqual(hkd('0.13'));
    expect(ok(await s.owner.run('PaymentFees', { id: paid.id })).payment.fee).toEqual(hkd('0.15'));

    // The balance is what the business kept, at once (the caller's own writes), and the rate is the current one.
    expect(await balanceOf(s.owner, s.businessId)).toEqual({ id: s.businessId, balance: { available: hkd('22.22'), inTransit: hkd('0.00') }, feeRateBps: 300 });
    expect(await balanceOf(s.manager, s.businessId)).toMatchObject({ balance: { available: hkd('22.22') } });
    const asCashier = await s.cashier.run('BusinessBalance', { id: s.businessId });
    expect(codes(asCashier)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(codes(await s.customer.run('BusinessBalance', { id: s.businessId }))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    await expectLedgerWhole();
  });

  it('one payment is one journal entry of three lines: the wallet −amount, the business +net, FEE +fee', async () => {
    const s = await shop('Lines');
    const paid = await requestAndPay(s.owner, s.customer, s.businessId, '88.50');
    const db = await connectToDatabase(stack.env.PAYMENT_DATABASE_URL!);
    try {
      const lines = (await db.query(
        `SELECT a.type, l.amount FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id JOIN accounts a ON a.id = l.account_id
         WHERE e.reference_id = ? ORDER BY l.amount`,
        [paid.id],
      )) as Array<{ type: string; amount: bigint }>;
      expect(lines.map((line) => [line.type, BigInt(line.amount)])).toEqual([
        ['WALLET', -8850n],
        ['FEE', 106n],
        ['BUSINESS', 8744n],
      ]);
    } finally {
      await db.end();
    }
  });

  it('refunds give the fee back in proportion, to exactly the fee once fully refunded; the business pays the net share', async () => {
    const s = await shop('Refunds');
    await setFeeRate(s.businessId, 333);
    const paid = await requestAndPay(s.owner, s.customer, s.businessId, '10.00'); // fee 33.3 cents → 0.33
    const refund = (amount: string) => s.manager.run('RefundPayment', { input: { paymentId: paid.id, amount, idempotencyKey: key() } });
    const fees = async () => ok(await s.owner.run('PaymentFees', { id: paid.id })).payment;
    expect((await fees()).fee).toEqual(hkd('0.33'));
    for (const amount of ['3.33', '3.33', '0.01', '3.32']) ok(await refund(amount));
    expect(await fees()).toMatchObject({ refundedAmount: hkd('9.99') });
    ok(await refund('0.01'));
    expect(await fees()).toMatchObject({ refundedAmount: hkd('10.00'), fee: hkd('0.33') });
    const db = await connectToDatabase(stack.env.PAYMENT_DATABASE_URL!);
    try {
      const rows = (await db.query('SELECT amount, fee FROM refunds WHERE payment_id = ? ORDER BY created_at, id', [paid.id])) as Array<{ amount: bigint; fee: bigint }>;
      const shares = rows.map((row) => Number(row.fee));
      expect(shares.reduce((sum, fee) => sum + fee, 0)).toBe(33);
      // Each share is within a cent of its proportion (3.33 of 10.00 of a 33-cent fee is 10.99 cents).
      expect(shares).toEqual([11, 11, 0, 11, 0]);
      const [payment] = (await db.query('SELECT refunded_fee FROM payments WHERE id = ?', [paid.id])) as Array<{ refunded_fee: bigint }>;
      expect(BigInt(payment!.refunded_fee)).toBe(33n);
    } finally {
      await db.end();
    }
    // Fully refunded: the business holds nothing of it, and the customer has it all back.
    expect((await balanceOf(s.owner, s.businessId)).balance.available).toEqual(hkd('0.00'));
    expect(ok(await s.customer.run('Me')).me.wallet.balance.amount).toBe('1000.00');
    await expectLedgerWhole();
  });
});
