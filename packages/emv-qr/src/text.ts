/**
 * Text helpers. EMVCo lengths count characters, which for the UTF-8 payloads
 * seen in practice (Chinese names in ID 64) means Unicode code points, not
 * UTF-16 units: "最佳运输" has length 04.
 */

/** The string split into code points (a lone surrogate counts as one). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function codePointLength(text: string): number {
  let length = 0;
  // Iterating a string walks code points; counting avoids building an array.
  for (const _ of text) length++;
  return length;
}

/** Printable ASCII: space (0x20) to tilde (0x7E), EMVCo's common character set. */
export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/**
 * Keeps only printable ASCII, then collapses runs of spaces and trims, because
 * dropping characters from "Café 陳記 Bar" leaves "Caf  Bar" with a gap where
 * the Chinese was; an empty result is returned as "" (the caller decides
 * whether that becomes "NA" or is left out).
 */
export function toPrintableAscii(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * True when the text holds something that must never go into a payload: C0/C1
 * control characters (they break the line a wallet shows) or an unpaired
 * surrogate (UTF-8 cannot encode it, so the CRC would cover U+FFFD instead).
 */
export function hasForbiddenCharacters(text: string): boolean {
  for (const char of text) {
    const point = char.codePointAt(0)!;
    if (point < 0x20 || (point >= 0x7f && point <= 0x9f) || (point >= 0xd800 && point <= 0xdfff)) return true;
  }
  return false;
}
