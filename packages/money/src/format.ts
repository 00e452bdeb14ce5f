const SYMBOLS: Record<string, string> = { HKD: 'HK$' };

const digitsCache = new Map<string, number>();

/** Decimal places of a currency's minor unit (ISO 4217, from ICU): 2 for HKD, 0 for JPY. */
function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * "8850" HKD → "HK$88.50"; "123456789" HKD → "HK$1,234,567.89"; other
 * currencies by code ("USD 12.50"). Exact (BigInt, no floats). Throws
 * RangeError for anything but a non-negative integer string and an ISO code.
 */
export function formatMoney(amountMinor: string, currency: string): string {
  if (!/^[0-9]{1,19}$/.test(amountMinor)) throw new RangeError('amountMinor must be a non-negative integer string.');
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError('currency must be an ISO 4217 code.');
  const digits = minorDigits(currency);
  const minor = BigInt(amountMinor);
  const scale = 10n ** BigInt(digits);
  const whole = (minor / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${(minor % scale).toString().padStart(digits, '0')}` : '';
  const symbol = SYMBOLS[currency];
  return symbol ? `${symbol}${whole}${fraction}` : `${currency} ${whole}${fraction}`;
}

/** As `formatMoney`, but null instead of an error for an amount or currency it cannot show. */
export function tryFormatMoney(amountMinor: string, currency: string): string | null {
  try {
    return formatMoney(amountMinor, currency);
  } catch {
    return null;
  }
}
