import { badUserInput } from '@harbour/errors';

/** ISO 18245 merchant category code: four digits. */
export function parseMerchantCategoryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^[0-9]{4}$/.test(value)) throw badUserInput('Merchant category code must be 4 digits.', 'merchantCategoryCode');
  return value;
}
