/** CSV as RFC 4180 writes it, for every file the payment subgraph hands out (statements, the bank's payout batches). */
export const CRLF = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted (inner quotes doubled) only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
