import { badUserInput } from '@harbour/errors';
import { characterCount, parseName } from '@harbour/server';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

export function parsePhone(phone: string, field = 'phone'): string {
  if (!E164.test(phone)) throw badUserInput('Phone must be in E.164 form, e.g. +85291234567.', field);
  return phone;
}

/** The name others see when they pay or are paid by this user: the shared rules for names (NFC, visible, 1–50). */
export const parseDisplayName = (displayName: string): string => parseName(displayName, { field: 'displayName', label: 'Display name', max: 50 });

export function parseNewPassword(password: string): string {
  const length = characterCount(password);
  if (length < 10 || length > 200) throw badUserInput('Password must be 10 to 200 characters.', 'password');
  return password;
}
