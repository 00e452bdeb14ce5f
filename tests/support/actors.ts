import { contractOperation as op } from './contract';
import type { GraphQLResponse } from './graphql-client';
import type { RunningStack } from './stack';

export const PASSWORD = 'correct horse battery';
let counter = 0;

/** A phone number unique within this test process. */
export const newPhone = () => `+8526${String(process.pid % 100).padStart(2, '0')}${String(10_000 + counter++).slice(-5)}`;

/** The full-width form (U+FF0B, U+FF10…) of each plus and ASCII digit, as East Asian keyboards type them. */
const fullWidth = (text: string) => text.replace(/[+0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Other ways people and keyboards write an E.164 `phone` (`+85261012345`), each the same number. */
export const phoneSpellings = (phone: string): Record<string, string> => ({
  'a trailing space': `${phone} `,
  'full-width digits and plus': fullWidth(phone),
  'a full-width plus': `${fullWidth('+')}${phone.slice(1)}`,
  'full-width digits': `+${fullWidth(phone.slice(1))}`,
  'spaces inside': `${phone.slice(0, 4)} ${phone.slice(4, 8)} ${phone.slice(8)}`,
  'dashes inside': `${phone.slice(0, 4)}-${phone.slice(4, 8)}-${phone.slice(8)}`,
});

export interface Actor {
  id: string;
  phone: string;
  displayName: string;
  token: string;
  /** Runs a contract operation (verbatim) as this user. */
  run<T = Record<string, any>>(operation: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/** Signs a new user up through the gateway with the contract's SignUp. */
export async function signUp(stack: RunningStack, displayName: string): Promise<Actor> {
  const phone = newPhone();
  const response = await stack.graphql(op('SignUp'), { input: { phone, displayName, password: PASSWORD } });
  if (response.body.errors) throw new Error(`SignUp failed: ${JSON.stringify(response.body.errors)}`);
  const { accessToken, user } = response.body.data!.signUp;
  return {
    id: user.id,
    phone,
    displayName,
    token: accessToken,
    run: (operation, variables = {}) => stack.graphql(op(operation), variables, { token: accessToken }),
  };
}

/** The cast of most payment tests: "<label> Merchant" with a business "<label> Cafe", and "<label> Customer". */
export async function merchantAndCustomer(stack: RunningStack, label: string): Promise<{ merchant: Actor; customer: Actor; businessId: string }> {
  const merchant = await signUp(stack, `${label} Merchant`);
  const customer = await signUp(stack, `${label} Customer`);
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: `${label} Cafe`, city: 'Hong Kong' } })).registerBusiness.id as string;
  return { merchant, customer, businessId };
}

/** Expects no errors and returns the data. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.body.errors?.length) throw new Error(`Unexpected errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as T;
}
