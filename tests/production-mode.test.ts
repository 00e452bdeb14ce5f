/**
 * Production mode: keys come from the environment (nothing generated on
 * disk), and topUpWallet, which stands in for a bank transfer, answers
 * FORBIDDEN.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { errorCodes } from './support/graphql-client';
import { signUp } from './support/actors';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  stack = await startStack({
    HARBOUR_MODE: 'production',
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_KEY_ID: 'prod-test-1',
    INTERNAL_IDENTITY_SECRET: randomBytes(48).toString('base64url'),
    // Production refuses to run without a key for payout account numbers (and refuses the development one).
    PAYOUT_ACCOUNT_KEYS: `test:${randomBytes(32).toString('base64')}`,
    API_KEY_HASH_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  });
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

it('topUpWallet is FORBIDDEN, and no key was generated locally', async () => {
  const user = await signUp(stack, 'Production User');
  const response = await user.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: randomUUID() } });
  expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  expect(response.body.data).toEqual({ topUpWallet: null });
  expect(fs.readdirSync(stack.env.HARBOUR_DATA_DIR!)).toEqual([]);
  const [header] = user.token.split('.');
  expect(JSON.parse(Buffer.from(header!, 'base64url').toString()).kid).toBe('prod-test-1');
});
