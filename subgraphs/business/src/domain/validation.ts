import { badUserInput } from '@harbour/errors';

const characterCount = (value: string) => [...value].length;

/** A single line of text of `min`..`max` characters (code points, as MySQL counts them). */
export function parseLine(value: string, field: string, label: string, max: number): string {
  const trimmed = value.trim();
  const length = characterCount(trimmed);
  if (length < 1 || length > max) throw badUserInput(`${label} must be 1 to ${max} characters.`, field);
  if (/\p{Cc}/u.test(trimmed)) throw badUserInput(`${label} must not contain control characters.`, field);
  return trimmed;
}

/** ISO 18245 merchant category code: four digits. */
export function parseMerchantCategoryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^[0-9]{4}$/.test(value)) throw badUserInput('Merchant category code must be 4 digits.', 'merchantCategoryCode');
  return value;
}
