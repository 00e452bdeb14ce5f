/**
 * Amounts as EMVCo writes them (ID 54), from and to integer minor units. The
 * ledger keeps money as bigint cents; floating point never touches it.
 */

/** The currencies Harbour issues payloads in, with their ISO 4217 numeric code and country. */
export const HARBOUR_CURRENCIES = {
  HKD: { numeric: '344', country: 'HK', minorDigits: 2 },
} as const;

export type HarbourCurrency = keyof typeof HARBOUR_CURRENCIES;

export function isHarbourCurrency(value: string): value is HarbourCurrency {
  return Object.prototype.hasOwnProperty.call(HARBOUR_CURRENCIES, value);
}

/** The currency whose ISO numeric code this is, if Harbour issues it. */
export function currencyForNumeric(numeric: string): HarbourCurrency | undefined {
  return (Object.keys(HARBOUR_CURRENCIES) as HarbourCurrency[]).find((code) => HARBOUR_CURRENCIES[code].numeric === numeric);
}

/** 12345n → "123.45"; always two decimals, as the contract's Decimal output. Throws on negatives. */
export function formatMinorUnits(minor: bigint): string {
  if (minor < 0n) throw new RangeError('an amount cannot be negative');
  const cents = minor % 100n;
  return `${minor / 100n}.${cents.toString().padStart(2, '0')}`;
}

/**
 * "123.45" → 12345n, "100" → 10000n, "100.5" → 10050n; undefined for anything
 * that is not plain digits with at most two decimals (other schemes use fewer
 * decimals; more than two would not be whole cents).
 */
export function parseMinorUnits(amount: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return undefined;
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}
