/**
 * Text inputs through the gateway of a whole stack, with the contract's
 * operations verbatim: ill-formed Unicode (a lone UTF-16 surrogate, sent as
 * the JSON escape "\ud800") is the client's mistake, never an internal error;
 * invisible and bidirectional characters cannot make a name read as something
 * else; names are stored and printed in the QR code NFC-normalised.
 */
import { randomUUID } from 'node:crypto';
import { parseHarbourPayload } from '@harbour/emv-qr';
import { merchantAndCustomer, newPhone, ok, PASSWORD, type Actor } from './support/actors';
import { contractOperation as op } from './support/contract';
import type { GraphQLResponse } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

const LONE = 'hi\ud800';

let stack: RunningStack;
let merchant: Actor;
let customer: Actor;
let businessId: string;
const key = () => randomUUID();

beforeAll(async () => {
  stack = await startStack();
  ({ merchant, customer, businessId } = await merchantAndCustomer(stack, 'Text'));
  ok(await customer.run('TopUpWallet', { input: { amount: '100.00', idempotencyKey: key() } }));
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

/** The one error of a refused request: BAD_USER_INPUT naming `field`. */
function expectBadInput(response: GraphQLResponse, field: string) {
  expect(response.body.errors?.map((error) => ({ code: error.extensions?.code, field: error.extensions?.field }))).toEqual([
    { code: 'BAD_USER_INPUT', field },
  ]);
}

const signUpWith = (displayName: string, password = PASSWORD) => stack.graphql(op('SignUp'), { input: { phone: newPhone(), displayName, password } });
const register = (name: string, city = 'Hong Kong') => merchant.run('RegisterBusiness', { input: { name, city } });

async function payment(): Promise<string> {
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.00' } })).createPaymentRequest;
  return ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest.id;
}

describe('a lone surrogate is BAD_USER_INPUT naming the field, in every text argument', () => {
  it('displayName (SignUp)', async () => {
    expectBadInput(await signUpWith(LONE), 'displayName');
  });

  it('business name and city (RegisterBusiness)', async () => {
    expectBadInput(await register(LONE), 'name');
    expectBadInput(await register('Lone City', LONE), 'city');
  });

  it('reference (CreatePaymentRequest)', async () => {
    expectBadInput(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '1.00', reference: LONE } }), 'reference');
  });

  it('message (SendMoney)', async () => {
    expectBadInput(await customer.run('SendMoney', { input: { toUserId: merchant.id, amount: '1.00', message: LONE, idempotencyKey: key() } }), 'message');
  });

  it('reason (RefundPayment)', async () => {
    const paymentId = await payment();
    expectBadInput(await merchant.run('RefundPayment', { input: { paymentId, amount: '1.00', reason: LONE, idempotencyKey: key() } }), 'reason');
  });

  it('written in the document itself, it is a syntax error (GRAPHQL_PARSE_FAILED), not an internal error', async () => {
    const response = await stack.graphql('query { paymentRequestByQr(payload: "hi\ud800") { id } }', {}, { token: customer.token });
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('the text arguments no domain rule reads as text: password, payload, idempotencyKey, phone', async () => {
    expectBadInput(await signUpWith('Lone Password', `${PASSWORD}\udfff`), 'password');
    expectBadInput(await customer.run('PaymentRequestByQr', { payload: `000201${LONE}` }), 'payload');
    expectBadInput(await customer.run('TopUpWallet', { input: { amount: '1.00', idempotencyKey: `${key()}\ud800` } }), 'idempotencyKey');
    expectBadInput(await customer.run('FindUserByPhone', { phone: `+852\ud800` }), 'phone');
  });
});

describe('names cannot hide or reorder what they show', () => {
  it('a business name with a right-to-left override ("Shop\\u202eevil", shown as "Shoplive") is refused', async () => {
    expectBadInput(await register('Shop\u202eevil'), 'name');
    expectBadInput(await register('Shop', 'Kow\u2066loon'), 'city');
  });

  it('an invisible display name (a zero-width space) is refused, and so is one of only marks', async () => {
    expectBadInput(await signUpWith('\u200b'), 'displayName');
    expectBadInput(await signUpWith('Ada\u200bLau'), 'displayName');
    expectBadInput(await signUpWith('\u0301\u0301'), 'displayName');
  });

  it('a message or refund reason with a bidirectional override is refused', async () => {
    expectBadInput(
      await customer.run('SendMoney', { input: { toUserId: merchant.id, amount: '1.00', message: 'for \u202edaol', idempotencyKey: key() } }),
      'message',
    );
    const paymentId = await payment();
    expectBadInput(await merchant.run('RefundPayment', { input: { paymentId, amount: '1.00', reason: 'wrong \u2067order', idempotencyKey: key() } }), 'reason');
  });

  it('an emoji written with a zero-width joiner is still a fine message', async () => {
    const sent = ok(await customer.run('SendMoney', { input: { toUserId: merchant.id, amount: '1.00', message: 'thanks \u{1F469}\u200d\u{1F4BB}', idempotencyKey: key() } }));
    expect(sent.sendMoney.message).toBe('thanks \u{1F469}\u200d\u{1F4BB}');
  });
});

describe('names are stored NFC-normalised', () => {
  it('"Cafe\\u0301" is registered, returned and printed in the QR code (ID 64) as "Café"', async () => {
    const business = ok(await register('Cafe\u0301', 'Sha\u0301 Tin')).registerBusiness;
    expect(business.name).toBe('Caf\u00e9');
    expect(business.city).toBe('Sh\u00e1 Tin');
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '1.00' } })).createPaymentRequest;
    expect(request.business.name).toBe(business.name);
    const parsed = parseHarbourPayload(request.qrPayload);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.fields.alternateLanguage).toEqual({ language: 'ZH', merchantName: business.name, merchantCity: 'Sh\u00e1 Tin' });
  });

  it('limits count characters, not UTF-16 units: 140 emoji are a message, 25 a business name (and its QR code)', async () => {
    const emoji = (count: number) => '\u{1F600}'.repeat(count);
    const sent = ok(await customer.run('SendMoney', { input: { toUserId: merchant.id, amount: '1.00', message: emoji(140), idempotencyKey: key() } }));
    expect(sent.sendMoney.message).toBe(emoji(140));
    const business = ok(await register(emoji(25), emoji(15))).registerBusiness;
    const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId: business.id, amount: '1.00' } })).createPaymentRequest;
    const parsed = parseHarbourPayload(request.qrPayload);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.fields.alternateLanguage).toEqual({ language: 'ZH', merchantName: emoji(25), merchantCity: emoji(15) });
  });

  it('a display name is counted after NFC: 50 decomposed letters (100 code points) fit', async () => {
    const response = await signUpWith('e\u0301'.repeat(50));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.signUp.user.displayName).toBe('\u00e9'.repeat(50));
  });
});
