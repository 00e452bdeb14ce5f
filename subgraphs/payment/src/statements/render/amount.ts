import { formatDecimal } from '@harbour/server';

/**
 * Amounts as a statement prints them, from signed integer minor units, by
 * integer arithmetic only (a float would misprint large amounts).
 * Two decimal places: Harbour's statement currencies (HKD) have cents.
 */

/** -1250n → "-12.50", 0n → "0.00": what the CSV carries (the Decimal scalar's own form). */
export const decimalAmount = formatDecimal;

/** -123456789n → "-1,234,567.89": what a person reads in the PDF. */
export function groupedAmount(minor: bigint): string {
  const [whole, cents] = decimalAmount(minor).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
