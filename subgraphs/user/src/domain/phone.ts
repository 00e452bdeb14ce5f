import { badUserInput } from '@harbour/errors';
import { ParseError, parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+85291234567`), the one spelling of a number that
 * is stored, looked up and counted. Only this file makes one, so a function
 * that takes it cannot be handed a number as someone typed it.
 */
export type E164Phone = string & { readonly e164: unique symbol };

/** Longer than any way of writing a phone number: not worth normalising. */
const MAX_INPUT_LENGTH = 64;
/** E.164 allows at most 15 digits after the plus (and `users.phone` is VARCHAR(16)). */
const MAX_E164_LENGTH = 16;

function parse(text: string): PhoneNumber | null {
  if (text.length > MAX_INPUT_LENGTH) return null;
  try {
    // NFKC folds full-width digits and plus (＋８５２…) into ASCII: libphonenumber-js reads full-width digits but not the plus.
    const number = parsePhoneNumberWithError(text.normalize('NFKC').trim(), { extract: false });
    // An extension is not part of the number a person logs in with; E.164 itself has no room for one.
    return number.ext || number.number.length > MAX_E164_LENGTH ? null : number;
  } catch (error) {
    if (error instanceof ParseError) return null;
    throw error;
  }
}

/**
 * `text` in E.164, when it spells a phone number in international form: a
 * plus and a country code, with spaces, dashes, dots and parentheses
 * between the digits, full-width forms and a national prefix after the
 * country code (`+44 (0)…`) forgiven. Null when it is none. It does not ask
 * whether the number can exist: numbers registered when sign-up checked only
 * the E.164 shape keep normalising to themselves (unless they carry such a
 * national prefix).
 */
export function normalisePhone(text: string): E164Phone | null {
  return (parse(text)?.number as E164Phone | undefined) ?? null;
}

/**
 * A number someone registers or looks up, in E.164: BAD_USER_INPUT unless it
 * spells one in international form (see normalisePhone) whose country code
 * exists and whose length that country's plan allows. Whether the range is
 * allocated is not asked: that changes monthly and would tie sign-up to the
 * library's release.
 */
export function parsePhone(text: string, field = 'phone'): E164Phone {
  const number = parse(text);
  if (!number?.isPossible()) throw badUserInput('Phone must be in E.164 form, e.g. +85291234567.', field);
  return number.number as E164Phone;
}
