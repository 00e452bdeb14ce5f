import { badUserInput } from '@harbour/errors';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

export function parsePhone(phone: string, field = 'phone'): string {
  if (!E164.test(phone)) throw badUserInput('Phone must be in E.164 form, e.g. +85291234567.', field);
  return phone;
}

/** Length in characters as a person counts them (code points), which is how MySQL's VARCHAR counts. */
export const characterCount = (value: string) => [...value].length;

export function parseDisplayName(displayName: string): string {
  const trimmed = displayName.trim();
  const length = characterCount(trimmed);
  if (length < 1 || length > 50) throw badUserInput('Display name must be 1 to 50 characters.', 'displayName');
  // Control characters would corrupt notifications and logs.
  if (/\p{Cc}/u.test(trimmed)) throw badUserInput('Display name must not contain control characters.', 'displayName');
  return trimmed;
}

export function parseNewPassword(password: string): string {
  const length = characterCount(password);
  if (length < 10 || length > 200) throw badUserInput('Password must be 10 to 200 characters.', 'password');
  return password;
}
