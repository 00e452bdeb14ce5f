/** Decimal amounts with two places in bank files, from and to integer minor units (never floats). */
export function formatMinor(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function parseMinor(text: string): bigint {
  const match = /^(-?)(\d{1,15})\.(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not an amount with two decimal places: "${text}".`);
  const minor = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] ? -minor : minor;
}
