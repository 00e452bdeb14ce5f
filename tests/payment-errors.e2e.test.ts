/**
 * Every payment-related error code of the contract, provoked through the
 * gateway of a whole stack.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crcHex, encodeHarbourPayload } from '@harbour/emv-qr';
import mariadb from 'mariadb';
import { errorCodes } from './support/graphql-client';
import { ok, signUp, type Actor } from './support/actors';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;
let merchant: Actor;
let customer: Actor;
let businessId: string;
const key = () => randomUUID();

beforeAll(async () => {
  stack = await startStack();
  merchant = await signUp(stack, 'Error Merchant');
  customer = await signUp(stack, 'Error Customer');
  businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Error Cafe', city: 'Hong Kong' } })).registerBusiness.id;
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

const createRequest = async (amount = '10.00') =>
  ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount } })).createPaymentRequest as { id: string; qrPayload: string };

/** Recomputes the CRC of a payload whose body (everything before "6304") was edited. */
const withCrc = (body: string) => `${body}6304${crcHex(`${body}6304`)}`;
/** One EMVCo data object: id, two-digit length, value. */
const tlv = (id: string, value: string) => `${id}${String(value.length).padStart(2, '0')}${value}`;

describe('money', () => {
  it('INSUFFICIENT_FUNDS: paying more than the wallet holds moves nothing and keeps the key usable', async () => {
    const poor = await signUp(stack, 'Empty Wallet');
    const request = await createRequest('25.00');
    const idempotencyKey = key();
    const refused = await poor.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey } });
    expect(errorCodes(refused)).toEqual(['INSUFFICIENT_FUNDS']);
    ok(await poor.run('TopUpWallet', { input: { amount: '25.00', idempotencyKey: key() } }));
    const paid = await poor.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey } });
    expect(paid.body.data!.payPaymentRequest.status).toBe('COMPLETED');
  });

  it('PAYMENT_REQUEST_NOT_PAYABLE: a paid request cannot be paid again (with a new key)', async () => {
    ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: key() } }));
    const request = await createRequest();
    ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } }));
    const again = await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } });
    expect(errorCodes(again)).toEqual(['PAYMENT_REQUEST_NOT_PAYABLE']);
  });

  it('PAYMENT_REQUEST_NOT_PAYABLE: an expired request', async () => {
    const request = await createRequest();
    const connection = await mariadb.createConnection(stack.env.PAYMENT_DATABASE_URL!.replace(/^mysql:/, 'mariadb:'));
    await connection.query('UPDATE payment_requests SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000), request.id]);
    await connection.end();
    const response = await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } });
    expect(errorCodes(response)).toEqual(['PAYMENT_REQUEST_NOT_PAYABLE']);
    expect(ok(await customer.run('PaymentRequestByQr', { payload: request.qrPayload })).paymentRequestByQr.status).toBe('EXPIRED');
  });

  it('PAYMENT_REQUEST_NOT_PENDING: cancelling a paid request', async () => {
    const request = await createRequest();
    ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } }));
    expect(errorCodes(await merchant.run('CancelPaymentRequest', { id: request.id }))).toEqual(['PAYMENT_REQUEST_NOT_PENDING']);
  });

  it('REFUND_EXCEEDS_PAYMENT, and FORBIDDEN for the payer; NOT_FOUND for a stranger', async () => {
    const request = await createRequest('10.00');
    const payment = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
    expect(errorCodes(await merchant.run('RefundPayment', { input: { paymentId: payment.id, amount: '10.01', idempotencyKey: key() } }))).toEqual([
      'REFUND_EXCEEDS_PAYMENT',
    ]);
    expect(errorCodes(await customer.run('RefundPayment', { input: { paymentId: payment.id, amount: '1.00', idempotencyKey: key() } }))).toEqual(['FORBIDDEN']);
    const stranger = await signUp(stack, 'Stranger');
    expect(errorCodes(await stranger.run('RefundPayment', { input: { paymentId: payment.id, amount: '1.00', idempotencyKey: key() } }))).toEqual(['NOT_FOUND']);
  });
});

describe('idempotency', () => {
  it('the same key and input replays the first answer; money moves once', async () => {
    const idempotencyKey = key();
    const first = ok(await customer.run('TopUpWallet', { input: { amount: '7.00', idempotencyKey } })).topUpWallet;
    const second = ok(await customer.run('TopUpWallet', { input: { amount: '7.00', idempotencyKey } })).topUpWallet;
    expect(second).toEqual(first);
    const request = await createRequest('3.00');
    const payKey = key();
    const [a, b] = await Promise.all([
      customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: payKey } }),
      customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: payKey } }),
    ]);
    expect(ok(a).payPaymentRequest.id).toBe(ok(b).payPaymentRequest.id);
  });

  it('IDEMPOTENCY_KEY_REUSED: the same key with another input', async () => {
    const idempotencyKey = key();
    ok(await customer.run('TopUpWallet', { input: { amount: '1.00', idempotencyKey } }));
    expect(errorCodes(await customer.run('TopUpWallet', { input: { amount: '2.00', idempotencyKey } }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('a key is scoped to its caller: another user may use the same one', async () => {
    const idempotencyKey = key();
    const other = await signUp(stack, 'Same Key');
    ok(await customer.run('TopUpWallet', { input: { amount: '1.00', idempotencyKey } }));
    expect(ok(await other.run('TopUpWallet', { input: { amount: '2.00', idempotencyKey } })).topUpWallet.balance.amount).toBe('2.00');
  });

  it('IDEMPOTENCY_KEY_IN_USE: while the first request with the key still holds it', async () => {
    const idempotencyKey = key();
    // The first request is in flight: its transaction holds the key's row.
    const connection = await mariadb.createConnection(stack.env.PAYMENT_DATABASE_URL!.replace(/^mysql:/, 'mariadb:'));
    try {
      await connection.beginTransaction();
      await connection.query(
        "INSERT INTO idempotency_keys (caller_id, operation, idempotency_key, request_hash, response, created_at, expires_at) VALUES (?, 'topUpWallet', ?, 'x', '{}', NOW(3), NOW(3) + INTERVAL 1 DAY)",
        [customer.id, idempotencyKey],
      );
      const second = await customer.run('TopUpWallet', { input: { amount: '1.00', idempotencyKey } });
      expect(errorCodes(second)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
      expect(second.status).toBe(409);
    } finally {
      await connection.rollback();
      await connection.end();
    }
  }, 30_000);
});

describe('QR codes', () => {
  it('INVALID_QR: malformed text, a bad CRC, a missing CRC, a zero-length object', async () => {
    const { qrPayload } = await createRequest();
    const badCrc = qrPayload.slice(0, -4) + (qrPayload.endsWith('0000') ? '1111' : '0000');
    for (const payload of ['hello', badCrc, qrPayload.slice(0, -8), withCrc('000201010212' + '5900' + qrPayload.slice(12, -8))]) {
      expect(errorCodes(await customer.run('PaymentRequestByQr', { payload }))).toEqual(['INVALID_QR']);
    }
  });

  it('INVALID_QR: our payload with the amount changed, even under a recomputed CRC', async () => {
    const { qrPayload } = await createRequest('10.00');
    const tampered = withCrc(qrPayload.slice(0, -8).replace('540510.00', '54041.00'));
    expect(tampered).not.toBe(qrPayload);
    expect(errorCodes(await customer.run('PaymentRequestByQr', { payload: tampered }))).toEqual(['INVALID_QR']);
  });

  it('NOT_FOUND: our format, an unknown id', async () => {
    const payload = encodeHarbourPayload({ paymentRequestId: 'prq_01JZZZZZZZZZZZZZZZZZZZZZZZ', amountMinor: 100n, currency: 'HKD', merchantName: 'Nobody', merchantCity: 'Nowhere' });
    expect(errorCodes(await customer.run('PaymentRequestByQr', { payload }))).toEqual(['NOT_FOUND']);
  });

  it('QR_NOT_SUPPORTED: a well-formed payload of another scheme', async () => {
    const vectors = path.resolve(__dirname, '..', '..', 'shared', 'vectors', 'emv-mpm-public.tsv');
    const payload = fs.existsSync(vectors)
      ? fs.readFileSync(vectors, 'utf8').split('\n').find((line) => line.startsWith('odoo_hk_100\t'))!.split('\t')[3]!
      : // Without the shared vectors (a clone elsewhere): an FPS merchant payload of the same shape.
        withCrc(
          tlv('00', '01') + tlv('01', '12') + tlv('26', tlv('00', 'hk.com.hkicl') + tlv('02', 'fps@example')) +
            tlv('52', '0000') + tlv('53', '344') + tlv('54', '100') + tlv('58', 'HK') + tlv('59', 'NA') + tlv('60', 'HK'),
        );
    expect(errorCodes(await customer.run('PaymentRequestByQr', { payload }))).toEqual(['QR_NOT_SUPPORTED']);
  });
});

describe('who may do what', () => {
  it("FORBIDDEN: another user's wallet through payer { wallet } is null; the rest comes", async () => {
    const request = await createRequest('1.00');
    const payment = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
    const response = await merchant.run('BusinessDashboard', { id: businessId, from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
    expect(response.body.errors).toBeUndefined();
    const query = 'query($id: ID!) { business(id: $id) { payments(first: 5) { edges { node { id payer { displayName wallet { balance { amount } } } } } } } }';
    const peek = await stack.graphql(query, { id: businessId }, { token: merchant.token });
    const node = peek.body.data!.business.payments.edges.find((edge: any) => edge.node.id === payment.id).node;
    expect(node.payer).toEqual({ displayName: 'Error Customer', wallet: null });
    expect(errorCodes(peek)).toContain('FORBIDDEN');
  });

  it('FORBIDDEN: a non-member reading the dashboard or asking for a payment', async () => {
    const stranger = await signUp(stack, 'Not A Member');
    const dashboard = await stranger.run('BusinessDashboard', { id: businessId, from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
    expect(dashboard.body.data!.business).toMatchObject({ id: businessId, name: 'Error Cafe', salesSummary: null, payments: null });
    expect(errorCodes(dashboard).sort()).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(errorCodes(await stranger.run('CreatePaymentRequest', { input: { businessId, amount: '1.00' } }))).toEqual(['FORBIDDEN']);
  });

  it('BAD_USER_INPUT: paying your own business, sending to yourself, malformed amounts and limits', async () => {
    ok(await merchant.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: key() } }));
    const own = await createRequest('1.00');
    expect(errorCodes(await merchant.run('PayPaymentRequest', { input: { paymentRequestId: own.id, idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await customer.run('SendMoney', { input: { toUserId: customer.id, amount: '1.00', idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);
    for (const amount of ['12.345', '-1', '1e3', '0', '50000.01', '0.00']) {
      const response = await merchant.run('CreatePaymentRequest', { input: { businessId, amount } });
      expect({ amount, codes: errorCodes(response) }).toEqual({ amount, codes: ['BAD_USER_INPUT'] });
    }
    const numeric = await merchant.run('CreatePaymentRequest', { input: { businessId, amount: 12.5 } });
    expect(errorCodes(numeric)).toEqual(['BAD_USER_INPUT']);
    for (const input of [{ expiresInSeconds: 59 }, { expiresInSeconds: 86_401 }, { reference: 'R'.repeat(26) }]) {
      expect(errorCodes(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.00', ...input } }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await customer.run('RefundPayment', { input: { paymentId: 'pay_x', amount: '1.00', idempotencyKey: key(), reason: 'r'.repeat(141) } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('UNAUTHENTICATED without a token; NOT_FOUND for an unknown user or request', async () => {
    const anonymous = await stack.graphql('mutation($i: TopUpWalletInput!) { topUpWallet(input: $i) { balance { amount } } }', { i: { amount: '1.00', idempotencyKey: key() } });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await customer.run('SendMoney', { input: { toUserId: 'usr_01JZZZZZZZZZZZZZZZZZZZZZZZ', amount: '1.00', idempotencyKey: key() } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await customer.run('PayPaymentRequest', { input: { paymentRequestId: 'prq_unknown', idempotencyKey: key() } }))).toEqual(['NOT_FOUND']);
  });
});
