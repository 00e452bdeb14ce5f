import { formatDecimal } from '@harbour/server';

/** Amounts in bank files: decimal with exactly two places, from and to integer minor units (never floats). */
export const formatMinor = formatDecimal;

/** Strict: a bank file's amount has exactly two decimals (unlike a client's Decimal, which may have fewer). */
export function parseMinor(text: string): bigint {
  const match = /^(-?)(\d{1,15})\.(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not an amount with two decimal places: "${text}".`);
  const minor = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] ? -minor : minor;
}
