/**
 * A bank file's amount back to integer minor units (never floats). Strict: exactly two
 * decimals, unlike a client's Decimal (which may have fewer); amounts are written with
 * @harbour/server's formatDecimal, the Decimal scalar's own form.
 */
export function parseMinor(text: string): bigint {
  const match = /^(-?)(\d{1,15})\.(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not an amount with two decimal places: "${text}".`);
  const minor = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] ? -minor : minor;
}
