/**
 * The rules of a business's payout account (money-out.md, "Payout account"),
 * one per field of `SetBusinessPayoutAccountInput`: each refuses with
 * `BAD_USER_INPUT` naming its field, and none puts the account number in a
 * message (it is logged and answered only as its last four digits).
 */
import { badUserInput } from '@harbour/errors';
import { parseName } from '@harbour/server';
import { bankName } from './bank-codes';

export interface PayoutAccountInput {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountHolderName: string;
}

/** A checked payout account: codes of three digits, the number as digits only, the name trimmed and NFC. */
export interface PayoutAccount {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountHolderName: string;
}

const THREE_DIGITS = /^[0-9]{3}$/;
const ACCOUNT_NUMBER = /^[0-9]{6,12}$/;
/** What a person may type between the digits of an account number: spaces and hyphens ("123-456789-001"). */
const ACCOUNT_NUMBER_SEPARATORS = /[ -]/g;

function text(value: unknown, field: string, label: string): string {
  if (typeof value !== 'string') throw badUserInput(`${label} is required.`, field);
  return value;
}

/** A licensed bank's three-digit clearing code, from the table in `bank-codes.ts`. */
export function checkBankCode(value: string): string {
  const code = text(value, 'bankCode', 'Bank code').trim();
  if (!THREE_DIGITS.test(code)) throw badUserInput('Bank code must be exactly 3 digits.', 'bankCode');
  if (bankName(code) === undefined) throw badUserInput(`Bank code ${code} is not a licensed bank in Hong Kong.`, 'bankCode');
  return code;
}

export function checkBranchCode(value: string): string {
  const code = text(value, 'branchCode', 'Branch code').trim();
  if (!THREE_DIGITS.test(code)) throw badUserInput('Branch code must be exactly 3 digits.', 'branchCode');
  return code;
}

/** 6 to 12 digits; spaces and hyphens typed between them are dropped, anything else is refused. */
export function checkAccountNumber(value: string): string {
  const number = text(value, 'accountNumber', 'Account number').replace(ACCOUNT_NUMBER_SEPARATORS, '');
  if (!ACCOUNT_NUMBER.test(number)) {
    throw badUserInput('Account number must be 6 to 12 digits (spaces and hyphens between them are allowed).', 'accountNumber');
  }
  return number;
}

/**
 * The name on the account, 1 to 140 characters once trimmed: the shared rules
 * for a name (`parseName`), so no control characters or line breaks, and no
 * invisible or direction-changing characters either (it is what an OWNER
 * checks before money goes to it).
 */
export function checkAccountHolderName(value: string): string {
  return parseName(text(value, 'accountHolderName', 'Account holder name'), {
    field: 'accountHolderName',
    label: 'Account holder name',
    max: 140,
  });
}

/** Every field checked, in the input's order; the first that is wrong is the error. */
export function checkPayoutAccount(input: PayoutAccountInput): PayoutAccount {
  return {
    bankCode: checkBankCode(input.bankCode),
    branchCode: checkBranchCode(input.branchCode),
    accountNumber: checkAccountNumber(input.accountNumber),
    accountHolderName: checkAccountHolderName(input.accountHolderName),
  };
}

/** The last four digits of an account number (`accountNumberLast4`); spaces and hyphens are ignored. */
export function last4(accountNumber: string): string {
  const digits = accountNumber.replace(ACCOUNT_NUMBER_SEPARATORS, '');
  if (!/^[0-9]{4,}$/.test(digits)) throw new RangeError('last4 needs an account number of at least 4 digits.');
  return digits.slice(-4);
}

/** How an account number appears in logs: `••••1234`. */
export function maskAccountNumber(accountNumber: string): string {
  return `••••${last4(accountNumber)}`;
}
