import { GraphQLError } from 'graphql';
import {
  checkAccountHolderName,
  checkAccountNumber,
  checkBankCode,
  checkBranchCode,
  checkPayoutAccount,
  last4,
  maskAccountNumber,
  type PayoutAccountInput,
} from '../account-rules';

/** The error `fn` throws: BAD_USER_INPUT naming `field`. */
function refusal(fn: () => unknown, field: string): GraphQLError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GraphQLError);
  const error = thrown as GraphQLError;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

const good: PayoutAccountInput = { bankCode: '004', branchCode: '123', accountNumber: '123-456789-001', accountHolderName: '  Harbour Coffee Limited ' };

describe('bankCode', () => {
  it.each(['004', '012', '387', ' 024 '])('accepts %p', (code) => {
    expect(checkBankCode(code)).toBe(code.trim());
  });

  it.each(['04', '0004', '4', '', 'abc', '0O4', '０04', '00 4', '004\n1'])('refuses %p: not 3 digits', (code) => {
    expect(refusal(() => checkBankCode(code), 'bankCode').message).toBe('Bank code must be exactly 3 digits.');
  });

  it.each(['000', '999', '123'])('refuses %p: not a licensed bank', (code) => {
    expect(refusal(() => checkBankCode(code), 'bankCode').message).toBe(`Bank code ${code} is not a licensed bank in Hong Kong.`);
  });
});

describe('branchCode', () => {
  it.each(['000', '123', '999', ' 456 '])('accepts %p', (code) => {
    expect(checkBranchCode(code)).toBe(code.trim());
  });

  it.each(['12', '1234', '', 'a12', '1-2', '１２３'])('refuses %p', (code) => {
    expect(refusal(() => checkBranchCode(code), 'branchCode').message).toBe('Branch code must be exactly 3 digits.');
  });
});

describe('accountNumber', () => {
  it.each([
    ['123456', '123456'],
    ['123456789012', '123456789012'],
    ['123-456789-001', '123456789001'],
    ['12 34 56 78', '12345678'],
    [' 1234-56 78 ', '12345678'],
  ])('accepts %p as %p', (typed, digits) => {
    expect(checkAccountNumber(typed)).toBe(digits);
  });

  it.each(['12345', '1234567890123', '', '---', '12345a', '123.456.789', '123_456_789', '１２３４５６７', '123456\t7', '123456/789', '+12345678'])(
    'refuses %p, without repeating it',
    (typed) => {
      const error = refusal(() => checkAccountNumber(typed), 'accountNumber');
      expect(error.message).toBe('Account number must be 6 to 12 digits (spaces and hyphens between them are allowed).');
      const digits = typed.replace(/[^0-9]/g, '');
      if (digits.length >= 4) expect(error.message).not.toContain(digits.slice(0, 4));
    },
  );
});

describe('accountHolderName', () => {
  it.each([
    ['Harbour Coffee Limited', 'Harbour Coffee Limited'],
    ['  Chan Tai Man  ', 'Chan Tai Man'],
    ['陳大文', '陳大文'],
    ['A', 'A'],
    ['x'.repeat(140), 'x'.repeat(140)],
    [` ${'y'.repeat(140)} `, 'y'.repeat(140)],
  ])('accepts %p', (typed, name) => {
    expect(checkAccountHolderName(typed)).toBe(name);
  });

  it.each([
    ['', 'must be 1 to 140'],
    ['   ', 'must be 1 to 140'],
    ['x'.repeat(141), 'must be 1 to 140'],
    ['Chan\nTai Man', 'control characters'],
    ['Chan\u0000', 'control characters'],
    ['Chan\u0007Tai', 'control characters'],
    ['Chan\u2028Tai', 'control characters'],
    ['Shop\u202Eevil', 'invisible'],
  ])('refuses %p', (typed, reason) => {
    expect(refusal(() => checkAccountHolderName(typed), 'accountHolderName').message).toContain(reason);
  });
});

describe('checkPayoutAccount', () => {
  it('answers every field checked and normalised', () => {
    expect(checkPayoutAccount(good)).toEqual({ bankCode: '004', branchCode: '123', accountNumber: '123456789001', accountHolderName: 'Harbour Coffee Limited' });
  });

  it.each([
    ['bankCode', { bankCode: '998' }],
    ['branchCode', { branchCode: '12' }],
    ['accountNumber', { accountNumber: '12345' }],
    ['accountHolderName', { accountHolderName: ' ' }],
  ] as const)('names %s when it is wrong', (field, change) => {
    refusal(() => checkPayoutAccount({ ...good, ...change }), field);
  });

  it('refuses a missing field naming it', () => {
    refusal(() => checkPayoutAccount({ ...good, accountNumber: undefined as unknown as string }), 'accountNumber');
  });
});

describe('last4 and maskAccountNumber', () => {
  it('answer the last four digits', () => {
    expect(last4('123456789001')).toBe('9001');
    expect(last4('123-456789-001')).toBe('9001');
    expect(maskAccountNumber('123456781234')).toBe('••••1234');
    expect(maskAccountNumber('12 34 56')).toBe('••••3456');
  });

  it('refuse fewer than four digits', () => {
    expect(() => last4('123')).toThrow(RangeError);
    expect(() => maskAccountNumber('')).toThrow(RangeError);
  });
});
