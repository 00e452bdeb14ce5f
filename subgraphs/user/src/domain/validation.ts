import { badUserInput } from '@harbour/errors';
import { characterCount, parseName } from '@harbour/server';

/** The name others see when they pay or are paid by this user: the shared rules for names (NFC, visible, 1–50). */
export const parseDisplayName = (displayName: string): string => parseName(displayName, { field: 'displayName', label: 'Display name', max: 50 });

export function parseNewPassword(password: string): string {
  const length = characterCount(password);
  if (length < 10 || length > 200) throw badUserInput('Password must be 10 to 200 characters.', 'password');
  return password;
}
