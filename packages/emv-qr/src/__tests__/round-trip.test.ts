/**
 * Property-style round trips over seeded random requests: names in ASCII,
 * Chinese and beyond the BMP, amounts from 0.01 to 50,000.00, with and
 * without references. A failure prints its seed and case number.
 */
import {
  classifyScan,
  conformanceIssues,
  decodeEmvPayload,
  encodeHarbourPayload,
  encodeTlvList,
  harbourPayloadMatches,
  type HarbourPayloadInput,
} from '../..';
import { withCrc } from './support/payloads';
import { ASCII_LETTERS, CJK, OTHER, PRINTABLE_ASCII, Random } from './support/random';

const SEED = 20_241_122;
const CASES = 300;

function randomText(random: Random, maxLength: number): string {
  const alphabet = random.pick([ASCII_LETTERS + '  ', CJK, ASCII_LETTERS + CJK + ' ', PRINTABLE_ASCII, ASCII_LETTERS + OTHER]);
  let text = '';
  while (text.trim() === '') text = random.string(alphabet, random.int(1, maxLength));
  return text;
}

function randomInput(random: Random): HarbourPayloadInput {
  return {
    paymentRequestId: `prq_${random.string(ASCII_LETTERS, random.int(1, 55))}`,
    // 0.01 to 50,000.00, weighted towards small amounts as real payments are.
    amountMinor: BigInt(random.pick([random.int(1, 999), random.int(1_000, 99_999), random.int(1, 5_000_000), 5_000_000])),
    currency: 'HKD',
    merchantName: randomText(random, 25),
    merchantCity: randomText(random, 15),
    merchantCategoryCode: random.pick([undefined, null, random.string('0123456789', 4)]),
    reference: random.pick([undefined, null, '', random.string(PRINTABLE_ASCII, random.int(1, 25)), randomText(random, 25)]),
  };
}

const nonAscii = /[^\x20-\x7e]/;

describe('Harbour payload round trips', () => {
  const random = new Random(SEED);
  const inputs = Array.from({ length: CASES }, () => randomInput(random));

  it.each(inputs.map((input, i) => [i, input] as const))(`case %i (seed ${SEED})`, (_i, input) => {
    const payload = encodeHarbourPayload(input);

    const decoded = decodeEmvPayload(payload);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(conformanceIssues(decoded.payload)).toEqual([]);
    expect(withCrc(encodeTlvList(decoded.payload.objects.slice(0, -1)))).toBe(payload);

    const scanned = classifyScan(payload);
    expect(scanned.kind).toBe('harbour');
    if (scanned.kind !== 'harbour') return;
    const { fields } = scanned;
    expect(scanned.paymentRequestId).toBe(input.paymentRequestId);
    expect(fields.amountMinor).toBe(input.amountMinor);
    expect(fields.amount).toMatch(/^\d+\.\d\d$/);
    expect(fields.currency).toBe('HKD');
    expect(fields.merchantCategoryCode).toBe(input.merchantCategoryCode || '0000');
    for (const [written, given, max] of [
      [fields.merchantName, input.merchantName, 25],
      [fields.merchantCity, input.merchantCity, 15],
    ] as const) {
      expect(written).toMatch(/^[\x20-\x7e]+$/);
      expect(written!.length).toBeLessThanOrEqual(max);
      if (!nonAscii.test(given) && given.trim() === given && !given.includes('  ')) expect(written).toBe(given);
    }
    const needsTemplate = nonAscii.test(input.merchantName) || nonAscii.test(input.merchantCity);
    expect(fields.alternateLanguage).toEqual(
      needsTemplate ? { language: 'ZH', merchantName: input.merchantName, merchantCity: input.merchantCity } : undefined,
    );
    if (fields.reference !== undefined) expect(fields.reference).toMatch(/^[\x20-\x7e]{1,25}$/);
    if (!input.reference || input.reference.trim() === '') expect(fields.reference).toBeUndefined();

    expect(harbourPayloadMatches(payload, input)).toEqual({ matches: true });
    // Any other amount is caught, CRC or not.
    const other = encodeHarbourPayload({ ...input, amountMinor: input.amountMinor + 1n });
    expect(harbourPayloadMatches(other, input)).toMatchObject({ matches: false, problem: 'fields' });
  });
});
