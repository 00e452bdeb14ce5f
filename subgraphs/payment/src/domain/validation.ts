import { badUserInput } from '@harbour/errors';
import { parseOptionalText } from '@harbour/server';

/** HKD today; every ledger row stores its currency anyway. */
export const CURRENCY = 'HKD';

/** An amount that can move: above zero and within the per-payment limit. */
export function checkAmount(amountMinor: bigint, limitMinor: bigint, field = 'amount'): bigint {
  if (amountMinor <= 0n) throw badUserInput('The amount must be more than zero.', field);
  if (amountMinor > limitMinor) throw badUserInput(`The amount is over the per-payment limit.`, field);
  return amountMinor;
}

/** Printable ASCII, 1 to 100 characters (a UUID is typical). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

export function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) throw badUserInput('The idempotency key must be 1 to 100 printable ASCII characters.', 'idempotencyKey');
  return key;
}

/** A transfer's message, shown to its recipient: the shared rules for free text. */
export const checkMessage = (value: string | null | undefined) => parseOptionalText(value, { field: 'message', label: 'Message', max: 140 });

/** A refund's reason, shown to the payer: the shared rules for free text. */
export const checkReason = (value: string | null | undefined) => parseOptionalText(value, { field: 'reason', label: 'Reason', max: 140 });

/** A payment request's reference goes into the QR code (EMVCo ID 62/05): printable ASCII, at most 25. */
export function checkReference(value: string | null | undefined): string | null {
  const reference = parseOptionalText(value, { field: 'reference', label: 'Reference', max: 25 });
  if (reference !== null && !/^[\x20-\x7e]+$/.test(reference)) {
    throw badUserInput('Reference must be printable ASCII: it is printed in the QR code.', 'reference');
  }
  return reference;
}

export function checkExpiresIn(seconds: number | null | undefined): number {
  const value = seconds ?? 900;
  if (!Number.isInteger(value) || value < 60 || value > 86_400) throw badUserInput('expiresInSeconds must be 60 to 86400.', 'expiresInSeconds');
  return value;
}
