const SYMBOLS: Record<string, string> = { HKD: 'HK$' };

/**
 * An amount of integer minor units as people read it: `HK$1,234.50`
 * (two decimals, thousands grouped); other currencies as `USD 12.00`.
 * Returns null when `amountMinor` is not a non-negative integer string.
 */
export function formatMoney(amountMinor: string, currency: string): string | null {
  if (!/^[0-9]{1,19}$/.test(amountMinor)) return null;
  const minor = BigInt(amountMinor);
  const whole = (minor / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (minor % 100n).toString().padStart(2, '0');
  const symbol = SYMBOLS[currency];
  return symbol ? `${symbol}${whole}.${cents}` : `${currency} ${whole}.${cents}`;
}
