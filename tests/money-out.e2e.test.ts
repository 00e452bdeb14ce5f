/**
 * Money out (contract part 3, money-out.md), through the gateway on the
 * whole stack: the fee fixed on every payment and given back in proportion
 * by refunds, `payment(id)` with `fee`/`net` for the business only, and the
 * business's balance; payout accounts, payouts through the real
 * `npm run payouts:run` process, the batch file on Azurite and the sandbox
 * bank's answer; statements written by the statements worker (started by
 * `npm start`), downloaded from their SAS URLs and read back. Every
 * operation verbatim from the contract.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { blobStoreFromEnv } from '@harbour/blob';
import { extractPdf } from '../subgraphs/payment/src/statements/render/__tests__/pdf-text';
import { ok, signUp, type Actor } from './support/actors';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { ledgerInvariants } from './support/ledger-checks';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;

beforeAll(async () => {
  // The statements worker reads a window half a second after it ends (10 s in production: in-flight transactions).
  stack = await startStack({ LOG_LEVEL: 'error', STATEMENT_SETTLE_MS: '500', STATEMENT_WORKER_POLL_MS: '200' });
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
  return { businessId, name: `${label} ${n}`, owner: owner!, manager: manager!, cashier: cashier!, customer: customer! };
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

/** `npm run payouts:run` against this stack: its own process, as the CronJob runs it. */
async function runPayouts(): Promise<{ automatic: number; batches: string[]; sent: number; paid: number; failed: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'subgraphs', 'payment', 'src', 'payouts', 'run', 'main.ts')], {
    cwd: path.join(__dirname, '..'),
    env: stack.env,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

async function paymentDb<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const db = await connectToDatabase(stack.env.PAYMENT_DATABASE_URL!);
  try {
    return (await db.query(sql, values)) as T[];
  } finally {
    await db.end();
  }
}

/** The hold after an account change has passed (PAYOUT_HOLD_HOURS is 24 here, as in production). */
async function endHold(businessId: string) {
  // As if the 24 hours had passed: the account's hold, and the time its payouts made meanwhile were due.
  await paymentDb('UPDATE payout_accounts SET hold_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE business_id = ?', [businessId]);
  await paymentDb("UPDATE payouts SET not_before = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE business_id = ? AND status = 'PENDING'", [businessId]);
}

const account = (businessId: string, accountNumber = '123-456-789') => ({ input: { businessId, bankCode: '004', branchCode: '123', accountNumber, accountHolderName: 'CHAN TAI MAN' } });
const payoutsOf = async (actor: Actor, businessId: string) => ok(await actor.run('BusinessPayouts', { id: businessId, first: 20 })).business.payouts.edges.map((edge: any) => edge.node);

describe('payouts', () => {
  it('an OWNER sets the payout account (checked field by field, never answered in full); payouts need one', async () => {
    const s = await shop('Account');
    await requestAndPay(s.owner, s.customer, s.businessId, '100.00');
    expect(codes(await s.owner.run('RequestPayout', { input: { businessId: s.businessId, amount: '10.00', idempotencyKey: key() } }))).toEqual(['PAYOUT_ACCOUNT_REQUIRED']);
    expect(codes(await s.manager.run('SetBusinessPayoutAccount', account(s.businessId)))).toEqual(['FORBIDDEN']);
    expect(codes(await s.customer.run('SetBusinessPayoutAccount', account(s.businessId)))).toEqual(['NOT_FOUND']);
    for (const [field, value] of [['bankCode', '999'], ['bankCode', '04'], ['branchCode', '12'], ['accountNumber', '12345'], ['accountNumber', '1234567890123'], ['accountNumber', '12345a78'], ['accountHolderName', ' ']] as const) {
      const answer = await s.owner.run('SetBusinessPayoutAccount', { input: { ...account(s.businessId).input, [field]: value } });
      expect({ field, value, codes: codes(answer), named: answer.body.errors?.[0]?.extensions?.field }).toEqual({ field, value, codes: ['BAD_USER_INPUT'], named: field });
    }
    const set = ok(await s.owner.run('SetBusinessPayoutAccount', account(s.businessId))).setBusinessPayoutAccount;
    expect(set).toEqual({
      id: s.businessId,
      payoutAccount: { bankCode: '004', bankName: expect.stringMatching(/Hongkong and Shanghai Banking/), branchCode: '123', accountNumberLast4: '6789', accountHolderName: 'CHAN TAI MAN', updatedAt: expect.any(String) },
    });
    expect(JSON.stringify(set)).not.toContain('123456789');
    // At rest: encrypted, bound to the business.
    const [row] = await paymentDb<{ account_number_encrypted: string }>('SELECT account_number_encrypted FROM payout_accounts WHERE business_id = ?', [s.businessId]);
    expect(row!.account_number_encrypted).not.toContain('123456789');
    expect(row!.account_number_encrypted).toMatch(/^v1\./);
  });

  it('requestPayout: OWNER only, idempotent, never more than available (under concurrency); the hold; PAID through the batch file; FAILED and reversed', async () => {
    const s = await shop('Payout');
    await requestAndPay(s.owner, s.customer, s.businessId, '100.00'); // the business keeps 98.80
    ok(await s.owner.run('SetBusinessPayoutAccount', account(s.businessId)));
    const request = (actor: Actor, amount: string | null, idempotencyKey = key()) => actor.run('RequestPayout', { input: { businessId: s.businessId, amount, idempotencyKey } });
    expect(codes(await request(s.manager, '1.00'))).toEqual(['FORBIDDEN']);
    expect(codes(await request(s.owner, '98.81'))).toEqual(['INSUFFICIENT_FUNDS']);
    expect(codes(await request(s.owner, '0.00'))).toEqual(['BAD_USER_INPUT']);
    const firstKey = key();
    const first = ok(await request(s.owner, '50.00', firstKey)).requestPayout;
    expect(first).toEqual({ id: expect.stringMatching(/^pyo_/), status: 'PENDING', amount: hkd('50.00'), createdAt: expect.any(String), expectedArrivalDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    // The hold after the account was set: it arrives no sooner than the day after the hold ends.
    expect(new Date(`${first.expectedArrivalDate}T23:59:59+08:00`).getTime()).toBeGreaterThan(Date.now() + 24 * 3_600_000);
    expect(ok(await request(s.owner, '50.00', firstKey)).requestPayout.id).toBe(first.id);
    // 48.80 left: ten OWNER requests of 10.00 at once, four are paid out, six refused; never more than was there.
    const racing = await Promise.all(Array.from({ length: 10 }, () => request(s.owner, '10.00')));
    expect(racing.filter((answer) => !answer.body.errors)).toHaveLength(4);
    expect(racing.filter((answer) => codes(answer)[0] === 'INSUFFICIENT_FUNDS')).toHaveLength(6);
    expect((await balanceOf(s.owner, s.businessId)).balance).toEqual({ available: hkd('8.80'), inTransit: hkd('90.00') });
    // A refund the available balance cannot cover.
    const payments = ok(await s.owner.run('BusinessPayments', { id: s.businessId, first: 1 })).business.payments.edges;
    expect(codes(await s.owner.run('RefundPayment', { input: { paymentId: payments[0].node.id, amount: '50.00', idempotencyKey: key() } }))).toEqual(['INSUFFICIENT_FUNDS']);

    // The run makes the day's automatic payout of the 8.80 left, and leaves everything PENDING while the hold lasts;
    // once it has passed, one batch, and the sandbox bank pays them.
    expect(await runPayouts()).toMatchObject({ sent: 0 });
    expect((await payoutsOf(s.owner, s.businessId)).map((payout: any) => payout.status)).toEqual(Array(6).fill('PENDING'));
    await endHold(s.businessId);
    const run = await runPayouts();
    expect(run.batches).toHaveLength(1);
    const listed = await payoutsOf(s.owner, s.businessId);
    expect(listed).toHaveLength(6);
    expect(listed.every((payout: any) => payout.status === 'PAID' && payout.paidAt && payout.failureCode === null)).toBe(true);
    expect(listed.filter((payout: any) => payout.trigger === 'AUTOMATIC').map((payout: any) => payout.amount)).toEqual([hkd('8.80')]);
    expect(listed[0].destination).toEqual({ bankName: expect.stringMatching(/Hongkong and Shanghai/), accountNumberLast4: '6789' });
    expect((await balanceOf(s.owner, s.businessId)).balance).toEqual({ available: hkd('0.00'), inTransit: hkd('0.00') });

    // The batch file on Blob storage: header, one line per payout, the control total.
    const [batch] = await paymentDb<{ id: string; blob_name: string; total_minor: bigint }>('SELECT id, blob_name, total_minor FROM payout_batches WHERE id = ?', [run.batches[0]]);
    expect(batch!.blob_name).toMatch(new RegExp(`^payouts/\\d{4}-\\d{2}-\\d{2}/${batch!.id}\\.csv$`));
    const file = await blobStoreFromEnv(stack.env, 'harbour-money-out').downloadText(batch!.blob_name);
    const lines = file.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(new RegExp(`^H,${batch!.id},[^,]+,\\d+,[\\d.]+,HKD$`));
    expect(lines.filter((line) => line.startsWith('D,') && line.includes(',004,123,123456789,CHAN TAI MAN,'))).toHaveLength(6);
    expect(lines.at(-1)).toBe(`T,${batch!.id},${lines.length - 2},${(Number(batch!.total_minor) / 100).toFixed(2)}`);

    // Running again changes nothing: nothing is due, and the answer was applied once.
    expect(await runPayouts()).toMatchObject({ automatic: 0, sent: 0, paid: 0, failed: 0 });
    await expectLedgerWhole();
  });

  it('an account the bank has closed: FAILED with ACCOUNT_CLOSED, the money back in available, and every OWNER told', async () => {
    const s = await shop('Closed');
    const coOwner = await signUp(stack, 'Closed Co-owner');
    ok(await s.owner.run('AddBusinessMember', { input: { businessId: s.businessId, phone: coOwner.phone, role: 'OWNER' } }));
    await requestAndPay(s.owner, s.customer, s.businessId, '20.00'); // 19.76 kept
    ok(await s.owner.run('SetBusinessPayoutAccount', account(s.businessId, '000111999')));
    await endHold(s.businessId);
    ok(await s.owner.run('RequestPayout', { input: { businessId: s.businessId, amount: null, idempotencyKey: key() } }));
    expect((await balanceOf(s.owner, s.businessId)).balance).toEqual({ available: hkd('0.00'), inTransit: hkd('19.76') });
    await runPayouts();
    const [payout] = await payoutsOf(s.owner, s.businessId);
    expect(payout).toMatchObject({ status: 'FAILED', failureCode: 'ACCOUNT_CLOSED', paidAt: null, amount: hkd('19.76'), trigger: 'MANUAL' });
    expect((await balanceOf(s.owner, s.businessId)).balance).toEqual({ available: hkd('19.76'), inTransit: hkd('0.00') });
    const entries = await paymentDb<{ kind: string }>('SELECT kind FROM journal_entries WHERE reference_id = ? ORDER BY created_at, kind', [payout.id]);
    expect(entries.map((entry) => entry.kind).sort()).toEqual(['PAYOUT', 'PAYOUT_REVERSAL']);
    // Both OWNERs hear of the account change and of the failure; the MANAGER of neither. Never the full number.
    for (const owner of [s.owner, coOwner]) {
      const notices = await eventually(
        async () => ok(await owner.run('MyNotifications', { first: 10 })).me.notifications.edges.map((edge: any) => edge.node),
        (nodes) => expect(nodes.map((node: any) => node.kind)).toEqual(expect.arrayContaining(['PAYOUT_ACCOUNT_CHANGED', 'PAYOUT_FAILED'])),
      );
      expect(JSON.stringify(notices)).not.toContain('000111999');
      expect(JSON.stringify(notices)).toContain('1999');
    }
    const managerKinds = ok(await s.manager.run('MyNotifications', { first: 10 })).me.notifications.edges.map((edge: any) => edge.node.kind);
    expect(managerKinds.filter((kind: string) => kind.startsWith('PAYOUT'))).toEqual([]);
    await expectLedgerWhole();
  });

  it('payments, refunds and payouts at once on one business: the ledger still sums to zero, nothing below zero', async () => {
    const s = await shop('Mixed');
    ok(await s.owner.run('SetBusinessPayoutAccount', account(s.businessId)));
    const payers = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(stack, `Mixed Payer ${i}`)));
    await Promise.all(payers.map((payer) => payer.run('TopUpWallet', { input: { amount: '500.00', idempotencyKey: key() } })));
    const first = await Promise.all(payers.map((payer) => requestAndPay(s.cashier, payer, s.businessId, '40.00')));
    const work = [
      ...payers.map((payer) => requestAndPay(s.cashier, payer, s.businessId, '25.00').then(() => 'paid')),
      ...first.map((payment) => s.manager.run('RefundPayment', { input: { paymentId: payment.id, amount: '15.00', idempotencyKey: key() } }).then((answer) => String(codes(answer)[0] ?? 'refunded'))),
      ...Array.from({ length: 8 }, () => s.owner.run('RequestPayout', { input: { businessId: s.businessId, amount: '30.00', idempotencyKey: key() } }).then((answer) => String(codes(answer)[0] ?? 'payout'))),
    ];
    const outcomes = await Promise.all(work);
    expect(outcomes.every((outcome) => ['paid', 'refunded', 'payout', 'INSUFFICIENT_FUNDS'].includes(outcome))).toBe(true);
    await endHold(s.businessId);
    await runPayouts();
    await expectLedgerWhole();
    const balance = (await balanceOf(s.owner, s.businessId)).balance;
    expect(balance.inTransit).toEqual(hkd('0.00'));
    const health = await paymentDb<{ n: bigint }>(`SELECT COUNT(*) AS n FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type IN ('WALLET', 'BUSINESS') AND b.balance < 0`);
    expect(Number(health[0]!.n)).toBe(0);
  });
});

/** RFC 4180: fields split on commas outside quotes, `""` inside quotes is one quote, records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += char;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readyStatement(actor: Actor, id: string) {
  return eventually(
    async () => ok(await actor.run('Statement', { id })).statement,
    (statement) => expect(statement.status).not.toBe('PENDING'),
    60_000,
  );
}

describe('statements', () => {
  it('a CSV and a PDF of [from, to): every movement, reconciled with the ledger, downloaded from a read-only SAS URL; the asker is told', async () => {
    const s = await shop('Statement');
    const chan = await signUp(stack, '陳大文');
    ok(await chan.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: key() } }));
    await requestAndPay(s.owner, s.customer, s.businessId, '100.00');
    await pause(5);
    const from = new Date();
    // What each movement was for: a payment (a reference a spreadsheet would run as a formula), a refund, a payout the bank refuses and its reversal.
    const request = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '12.50', reference: '=1+2' } })).createPaymentRequest;
    const paid = ok(await chan.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
    ok(await s.manager.run('RefundPayment', { input: { paymentId: paid.id, amount: '2.50', reason: 'wrong size, "M"', idempotencyKey: key() } }));
    ok(await s.owner.run('SetBusinessPayoutAccount', account(s.businessId, '000111999')));
    await endHold(s.businessId);
    const payout = ok(await s.owner.run('RequestPayout', { input: { businessId: s.businessId, amount: '50.00', idempotencyKey: key() } })).requestPayout;
    await runPayouts();
    // The run also paid out the rest automatically, to the same closed account: both FAILED, both reversed.
    const payouts = await payoutsOf(s.owner, s.businessId);
    expect(payouts.map((p: any) => [p.trigger, p.amount.amount, p.status])).toEqual([['AUTOMATIC', '58.68', 'FAILED'], ['MANUAL', '50.00', 'FAILED']]);
    const automatic = payouts[0].id as string;
    await pause(5);
    const to = new Date();
    await pause(5);
    await requestAndPay(s.owner, s.customer, s.businessId, '1.00'); // after the window: not in it

    const window = { businessId: s.businessId, from: from.toISOString(), to: to.toISOString() };
    const csvKey = key();
    const asked = ok(await s.manager.run('RequestStatement', { input: { ...window, format: 'CSV', idempotencyKey: csvKey } })).requestStatement;
    expect(asked).toEqual({ id: expect.stringMatching(/^stm_/), status: 'PENDING', format: 'CSV', from: window.from, to: window.to });
    // A retry with the key is the same statement; the key for another window is refused.
    expect(ok(await s.manager.run('RequestStatement', { input: { ...window, format: 'CSV', idempotencyKey: csvKey } })).requestStatement.id).toBe(asked.id);
    expect(codes(await s.manager.run('RequestStatement', { input: { ...window, format: 'PDF', idempotencyKey: csvKey } }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const pdfAsked = ok(await s.owner.run('RequestStatement', { input: { ...window, format: 'PDF' } })).requestStatement;

    const statement = await readyStatement(s.manager, asked.id);
    expect(statement).toMatchObject({ status: 'READY', format: 'CSV', rowCount: 6, openingBalance: hkd('98.80'), closingBalance: hkd('108.68') });
    const expiresAt = new Date(statement.downloadUrlExpiresAt).getTime();
    expect(Math.abs(expiresAt - (Date.now() + 900_000))).toBeLessThan(60_000);
    // The closing balance is the ledger's at `to`: today's balance less what came after.
    expect((await balanceOf(s.owner, s.businessId)).balance.available).toEqual(hkd('109.67'));

    const download = await fetch(statement.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(await download.text());
    expect(header).toEqual(['occurred_at', 'type', 'id', 'reference', 'description', 'gross', 'fee', 'net', 'balance_after', 'currency']);
    const refundId = (await paymentDb<{ id: string }>('SELECT id FROM refunds WHERE payment_id = ?', [paid.id]))[0]!.id;
    const destination = 'account ending 1999 at The Hongkong and Shanghai Banking Corporation Limited';
    expect(rows.slice(0, 4).map((row) => row.slice(1))).toEqual([
      ['PAYMENT', paid.id, "'=1+2", 'Payment from 陳大文', '12.50', '-0.15', '12.35', '111.15', 'HKD'],
      ['REFUND', refundId, "'=1+2", `Refund of payment ${paid.id}: wrong size, "M"`, '-2.50', '0.03', '-2.47', '108.68', 'HKD'],
      ['PAYOUT', payout.id, '', `Payout to ${destination}`, '-50.00', '0.00', '-50.00', '58.68', 'HKD'],
      ['PAYOUT', automatic, '', `Payout to ${destination}`, '-58.68', '0.00', '-58.68', '0.00', 'HKD'],
    ]);
    // The bank's answers were applied in one run, at one instant: in either order, back to 108.68.
    const reversals = rows.slice(4).map(([, type, id, reference, description, gross, fee, net, , currency]) => [type, id, reference, description, gross, fee, net, currency]);
    expect(reversals.sort()).toEqual(
      [
        ['PAYOUT_REVERSAL', payout.id, '', `Payout returned (ACCOUNT_CLOSED): ${destination}`, '50.00', '0.00', '50.00', 'HKD'],
        ['PAYOUT_REVERSAL', automatic, '', `Payout returned (ACCOUNT_CLOSED): ${destination}`, '58.68', '0.00', '58.68', 'HKD'],
      ].sort(),
    );
    expect(rows.at(-1)![8]).toBe('108.68');
    for (const row of rows) expect(new Date(row[0]!).getTime()).toBeGreaterThanOrEqual(from.getTime());
    expect(rows.map((row) => row[0])).toEqual([...rows.map((row) => row[0])].sort());

    // The URL reads and nothing else; each read of the statement signs a fresh one.
    expect((await fetch(statement.downloadUrl, { method: 'PUT', body: 'forged', headers: { 'x-ms-blob-type': 'BlockBlob' } })).status).toBe(403);
    expect((await fetch(statement.downloadUrl.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(403);
    await pause(1_100);
    const again = ok(await s.owner.run('Statement', { id: asked.id })).statement;
    expect(new Date(again.downloadUrlExpiresAt).getTime()).toBeGreaterThan(expiresAt);
    expect((await fetch(again.downloadUrl)).status).toBe(200);

    // The PDF: the same movements, the business, the balances, Chinese rendered; it opens in a PDF reader.
    const pdfStatement = await readyStatement(s.owner, pdfAsked.id);
    expect(pdfStatement).toMatchObject({ status: 'READY', format: 'PDF', rowCount: 6, openingBalance: hkd('98.80'), closingBalance: hkd('108.68') });
    const pdfDownload = await fetch(pdfStatement.downloadUrl);
    expect(pdfDownload.headers.get('content-type')).toBe('application/pdf');
    const pdf = await extractPdf(Buffer.from(await pdfDownload.arrayBuffer()));
    const first = pdf.pages[0]!;
    for (const text of [s.name, '98.80', '108.68', '陳大文', 'Payout returned (ACCOUNT_CLOSED)']) expect(first).toContain(text);

    // The asker, and only the asker, is told of each.
    for (const asker of [s.manager, s.owner]) {
      const notices = async () => ok(await asker.run('MyNotifications', { first: 20 })).me.notifications.edges.map((edge: any) => edge.node);
      const ready = await eventually(notices, (all) => expect(all.filter((notice: any) => notice.kind === 'STATEMENT_READY')).toHaveLength(1), 30_000);
      expect(ready.find((notice: any) => notice.kind === 'STATEMENT_READY').body).toContain(`statement of ${s.name}`);
    }
    const cashierKinds = ok(await s.cashier.run('MyNotifications', { first: 20 })).me.notifications.edges.map((edge: any) => edge.node.kind);
    expect(cashierKinds).not.toContain('STATEMENT_READY');
    await expectLedgerWhole();
  });

  it('OWNERs and MANAGERs only; a window of at most 366 days that has ended; an empty window is a statement of no rows', async () => {
    const s = await shop('StatementRules');
    const now = Date.now();
    const input = (from: number, to: number, format = 'CSV') => ({ input: { businessId: s.businessId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), format } });
    const day = 24 * 3600 * 1000;
    expect(codes(await s.cashier.run('RequestStatement', input(now - day, now)))).toEqual(['FORBIDDEN']);
    const stranger = await signUp(stack, 'Statement Stranger');
    expect(codes(await stranger.run('RequestStatement', input(now - day, now)))).toEqual(['NOT_FOUND']);
    for (const [from, to] of [[now, now], [now, now - day], [now - 367 * day, now], [now - day, now + 60_000]] as const) {
      const answer = await s.owner.run('RequestStatement', input(from, to));
      expect({ codes: codes(answer), field: answer.body.errors?.[0]?.extensions?.field }).toEqual({ codes: ['BAD_USER_INPUT'], field: 'to' });
    }
    expect(codes(await s.owner.run('RequestStatement', input(now - day, now, 'XLSX')))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.owner.run('RequestStatement', { input: { ...input(now - day, now).input, idempotencyKey: '' } }))).toEqual(['BAD_USER_INPUT']);

    // 366 days is allowed; a window before the business existed has no rows, and balances of zero.
    const empty = ok(await s.manager.run('RequestStatement', input(now - 366 * day, now - 365 * day))).requestStatement;
    expect(codes(await s.cashier.run('Statement', { id: empty.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await stranger.run('Statement', { id: empty.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await s.owner.run('Statement', { id: 'stm_01JD0000000000000000000000' }))).toEqual(['NOT_FOUND']);
    const ready = await readyStatement(s.owner, empty.id);
    expect(ready).toMatchObject({ status: 'READY', rowCount: 0, openingBalance: hkd('0.00'), closingBalance: hkd('0.00') });
    expect(await (await fetch(ready.downloadUrl)).text()).toBe('occurred_at,type,id,reference,description,gross,fee,net,balance_after,currency\r\n');
  });
});
