/**
 * The merchant-and-customer flow of the contract, verbatim, through the
 * gateway of a whole stack: top up, register a business, create a request,
 * resolve its QR, pay, see both balances move, refund part and then the
 * rest, send money to a friend found by phone, cancel another request, read
 * the dashboard.
 */
import { randomUUID } from 'node:crypto';
import { errorCodes } from './support/graphql-client';
import { ledgerInvariants } from './support/ledger-checks';
import { ok, signUp, type Actor } from './support/actors';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;
const key = () => randomUUID();

beforeAll(async () => {
  stack = await startStack();
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

/** The business's side of the ledger (no contract operation shows it): the sum of its balance shards. */
async function businessBalance(businessId: string): Promise<bigint> {
  const ledger = await ledgerInvariants(stack.env.PAYMENT_DATABASE_URL!);
  try {
    return await ledger.accountBalance('BUSINESS', businessId);
  } finally {
    await ledger.close();
  }
}

async function walletOf(actor: Actor): Promise<string> {
  return ok(await actor.run('Me')).me.wallet.balance.amount;
}

it('runs the whole flow, with every balance and report right', async () => {
  const merchant = await signUp(stack, 'Mrs Wong');
  const customer = await signUp(stack, 'Chan Siu Ming');
  const friend = await signUp(stack, 'Lee Ka Yan');

  // The customer tops up from their bank (sandbox).
  const topUp = ok(await customer.run('TopUpWallet', { input: { amount: '500', idempotencyKey: key() } }));
  expect(topUp.topUpWallet).toEqual({ balance: { amount: '500.00', currencyCode: 'HKD' } });

  // The merchant registers a business with a Chinese name, and asks for HK$88.50.
  const business = ok(await merchant.run('RegisterBusiness', { input: { name: '幸運麵家 Lucky Noodles', city: 'Hong Kong', merchantCategoryCode: '5812' } })).registerBusiness;
  const created = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '88.5', reference: 'TABLE 12', idempotencyKey: key() } })).createPaymentRequest;
  expect(created).toMatchObject({
    id: expect.stringMatching(/^prq_/),
    status: 'PENDING',
    amount: { amount: '88.50', currencyCode: 'HKD' },
    reference: 'TABLE 12',
    business: { id: business.id, name: '幸運麵家 Lucky Noodles' },
  });
  expect(created.qrPayload).toMatch(/^000201010212/);
  expect(created.qrPayload).toContain('5303344');
  expect(created.qrPayload).toContain('540588.50');
  expect(created.qrPayload).toContain('5802HK');
  // 59 holds the name in printable ASCII; 64 (language ZH) carries it in full.
  expect(created.qrPayload).toContain('5913Lucky Noodles');
  expect(created.qrPayload).toMatch(/64\d\d0002ZH0118幸運麵家 Lucky Noodles/);
  expect(created.qrPayload).toMatch(/6304[0-9A-F]{4}$/);
  expect(created.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(800_000);

  // The customer scans it.
  const scanned = ok(await customer.run('PaymentRequestByQr', { payload: created.qrPayload })).paymentRequestByQr;
  expect(scanned).toEqual({
    id: created.id,
    status: 'PENDING',
    amount: { amount: '88.50', currencyCode: 'HKD' },
    reference: 'TABLE 12',
    business: { id: business.id, name: '幸運麵家 Lucky Noodles', city: 'Hong Kong' },
  });

  // ...and pays.
  const paid = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: created.id, idempotencyKey: key() } })).payPaymentRequest;
  expect(paid).toMatchObject({
    id: expect.stringMatching(/^pay_/),
    status: 'COMPLETED',
    amount: { amount: '88.50', currencyCode: 'HKD' },
    payer: { id: customer.id, displayName: 'Chan Siu Ming' },
    paymentRequest: { id: created.id, status: 'PAID', business: { id: business.id, name: '幸運麵家 Lucky Noodles' } },
  });
  expect(await walletOf(customer)).toBe('411.50');
  // The business keeps the amount less the default 1.20 % fee: HK$88.50 − HK$1.06 (money-out.md).
  expect(await businessBalance(business.id)).toBe(8744n);

  const dayStart = new Date(Date.now() - 12 * 3600_000).toISOString();
  const dayEnd = new Date(Date.now() + 12 * 3600_000).toISOString();
  const dashboard = async () => ok(await merchant.run('BusinessDashboard', { id: business.id, from: dayStart, to: dayEnd })).business;
  expect((await dashboard()).salesSummary).toEqual({
    count: 1,
    gross: { amount: '88.50', currencyCode: 'HKD' },
    refunded: { amount: '0.00', currencyCode: 'HKD' },
    net: { amount: '88.50', currencyCode: 'HKD' },
  });

  // Refund part, then the rest; a cent more is refused.
  const partial = ok(await merchant.run('RefundPayment', { input: { paymentId: paid.id, amount: '20.00', idempotencyKey: key(), reason: 'Cold noodles' } })).refundPayment;
  expect(partial).toEqual({
    id: expect.stringMatching(/^rfd_/),
    amount: { amount: '20.00', currencyCode: 'HKD' },
    payment: { id: paid.id, status: 'PARTIALLY_REFUNDED', refundedAmount: { amount: '20.00', currencyCode: 'HKD' } },
  });
  expect(await walletOf(customer)).toBe('431.50');
  const rest = ok(await merchant.run('RefundPayment', { input: { paymentId: paid.id, amount: '68.50', idempotencyKey: key() } })).refundPayment;
  expect(rest.payment).toEqual({ id: paid.id, status: 'REFUNDED', refundedAmount: { amount: '88.50', currencyCode: 'HKD' } });
  expect(await walletOf(customer)).toBe('500.00');
  expect(await businessBalance(business.id)).toBe(0n);
  const tooMuch = await merchant.run('RefundPayment', { input: { paymentId: paid.id, amount: '0.01', idempotencyKey: key() } });
  expect(errorCodes(tooMuch)).toEqual(['REFUND_EXCEEDS_PAYMENT']);

  // Send money to a friend found by phone.
  const found = ok(await customer.run('FindUserByPhone', { phone: friend.phone })).userByPhone;
  const sent = ok(await customer.run('SendMoney', { input: { toUserId: found.id, amount: '50.00', message: 'Dinner 🍜', idempotencyKey: key() } })).sendMoney;
  expect(sent).toEqual({
    id: expect.stringMatching(/^trf_/),
    status: 'COMPLETED',
    amount: { amount: '50.00', currencyCode: 'HKD' },
    message: 'Dinner 🍜',
    recipient: { id: friend.id, displayName: 'Lee Ka Yan' },
  });
  expect(await walletOf(customer)).toBe('450.00');
  expect(await walletOf(friend)).toBe('50.00');

  // Cancel another request; it can then be neither cancelled again nor paid.
  const other = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '10.00' } })).createPaymentRequest;
  expect(ok(await merchant.run('CancelPaymentRequest', { id: other.id })).cancelPaymentRequest).toEqual({ id: other.id, status: 'CANCELLED' });
  expect(errorCodes(await merchant.run('CancelPaymentRequest', { id: other.id }))).toEqual(['PAYMENT_REQUEST_NOT_PENDING']);
  expect(errorCodes(await customer.run('PayPaymentRequest', { input: { paymentRequestId: other.id, idempotencyKey: key() } }))).toEqual([
    'PAYMENT_REQUEST_NOT_PAYABLE',
  ]);

  // The dashboard: one payment, fully refunded today.
  const final = await dashboard();
  expect(final.salesSummary).toEqual({
    count: 1,
    gross: { amount: '88.50', currencyCode: 'HKD' },
    refunded: { amount: '88.50', currencyCode: 'HKD' },
    net: { amount: '0.00', currencyCode: 'HKD' },
  });
  expect(final.payments).toEqual({
    edges: [
      {
        node: {
          id: paid.id,
          status: 'REFUNDED',
          amount: { amount: '88.50', currencyCode: 'HKD' },
          completedAt: paid.completedAt,
          payer: { displayName: 'Chan Siu Ming' },
        },
      },
    ],
    pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
  });
});
