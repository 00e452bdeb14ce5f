/**
 * Property-style round trips over seeded random payloads of all three kinds
 * (payment requests, shop codes, payment links with and without a fixed
 * amount): names in ASCII, Chinese and beyond the BMP, amounts from 0.01 to
 * 50,000.00, with and without references. A failure prints its seed and case
 * number.
 */
import {
  classifyScan,
  conformanceIssues,
  decodeEmvPayload,
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  encodeTlvList,
  harbourPayloadMatches,
  paymentLinkPayloadMatches,
  shopPayloadMatches,
  type HarbourFields,
  type HarbourMatch,
  type HarbourMerchantInput,
  type HarbourTarget,
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

/** 0.01 to 50,000.00, weighted towards small amounts as real payments are. */
function randomAmount(random: Random): bigint {
  return BigInt(random.pick([random.int(1, 999), random.int(1_000, 99_999), random.int(1, 5_000_000), 5_000_000]));
}

function randomMerchant(random: Random): HarbourMerchantInput {
  return {
    currency: 'HKD',
    merchantName: randomText(random, 25),
    merchantCity: randomText(random, 15),
    merchantCategoryCode: random.pick([undefined, null, random.string('0123456789', 4)]),
  };
}

/** One random payload, with what it should read back as and how to check it against its record. */
interface Case {
  readonly merchant: HarbourMerchantInput;
  readonly target: HarbourTarget;
  readonly amountMinor: bigint | null;
  readonly reference: string | null | undefined;
  readonly payload: string;
  /** The matcher for this kind against the record the payload was written for. */
  readonly matches: (payload: string) => HarbourMatch;
  /** The payload written for the same record with one thing changed (the amount, or the id for a shop). */
  readonly altered: string;
}

function randomCase(random: Random): Case {
  const merchant = randomMerchant(random);
  const id = random.string(ASCII_LETTERS, random.int(1, 55));
  switch (random.pick(['paymentRequest', 'business', 'paymentLink'] as const)) {
    case 'paymentRequest': {
      const reference = random.pick([undefined, null, '', random.string(PRINTABLE_ASCII, random.int(1, 25)), randomText(random, 25)]);
      const input = { ...merchant, paymentRequestId: `prq_${id}`, amountMinor: randomAmount(random), reference };
      return {
        merchant,
        target: { kind: 'paymentRequest', id: input.paymentRequestId },
        amountMinor: input.amountMinor,
        reference,
        payload: encodeHarbourPayload(input),
        matches: (payload) => harbourPayloadMatches(payload, input),
        altered: encodeHarbourPayload({ ...input, amountMinor: input.amountMinor + 1n }),
      };
    }
    case 'business': {
      const input = { ...merchant, businessId: `biz_${id}` };
      return {
        merchant,
        target: { kind: 'business', id: input.businessId },
        amountMinor: null,
        reference: undefined,
        payload: encodeShopPayload(input),
        matches: (payload) => shopPayloadMatches(payload, input),
        altered: encodeShopPayload({ ...input, businessId: `${input.businessId.slice(0, -1)}${input.businessId.endsWith('A') ? 'B' : 'A'}` }),
      };
    }
    case 'paymentLink': {
      const input = { ...merchant, paymentLinkId: `lnk_${id}`, amountMinor: random.pick([null, randomAmount(random)]) };
      return {
        merchant,
        target: { kind: 'paymentLink', id: input.paymentLinkId },
        amountMinor: input.amountMinor,
        reference: undefined,
        payload: encodePaymentLinkPayload(input),
        matches: (payload) => paymentLinkPayloadMatches(payload, input),
        // A fixed amount becomes another; an open one becomes fixed.
        altered: encodePaymentLinkPayload({ ...input, amountMinor: (input.amountMinor ?? 0n) + 1n }),
      };
    }
  }
}

const nonAscii = /[^\x20-\x7e]/;

function expectMerchant(fields: HarbourFields, merchant: HarbourMerchantInput): void {
  expect(fields.currency).toBe('HKD');
  expect(fields.merchantCategoryCode).toBe(merchant.merchantCategoryCode || '0000');
  for (const [written, given, max] of [
    [fields.merchantName, merchant.merchantName, 25],
    [fields.merchantCity, merchant.merchantCity, 15],
  ] as const) {
    expect(written).toMatch(/^[\x20-\x7e]+$/);
    expect(written!.length).toBeLessThanOrEqual(max);
    if (!nonAscii.test(given) && given.trim() === given && !given.includes('  ')) expect(written).toBe(given);
  }
  const needsTemplate = nonAscii.test(merchant.merchantName) || nonAscii.test(merchant.merchantCity);
  expect(fields.alternateLanguage).toEqual(
    needsTemplate ? { language: 'ZH', merchantName: merchant.merchantName, merchantCity: merchant.merchantCity } : undefined,
  );
}

describe('Harbour payload round trips', () => {
  const random = new Random(SEED);
  const cases = Array.from({ length: CASES }, () => randomCase(random));

  it('covers every kind, and links with and without an amount', () => {
    const kinds = new Set(cases.map((c) => `${c.target.kind} ${c.amountMinor === null ? 'open' : 'fixed'}`));
    expect([...kinds].sort()).toEqual(['business open', 'paymentLink fixed', 'paymentLink open', 'paymentRequest fixed']);
  });

  it.each(cases.map((c, i) => [i, c.target.kind, c] as const))(`case %i, %s (seed ${SEED})`, (_i, _kind, c) => {
    const decoded = decodeEmvPayload(c.payload);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(conformanceIssues(decoded.payload)).toEqual([]);
    expect(withCrc(encodeTlvList(decoded.payload.objects.slice(0, -1)))).toBe(c.payload);

    const scanned = classifyScan(c.payload);
    expect(scanned.kind).toBe('harbour');
    if (scanned.kind !== 'harbour') return;
    const { fields } = scanned;
    expect(scanned.target).toEqual(c.target);
    expect(fields.initiationMethod).toBe(c.target.kind === 'paymentRequest' ? '12' : '11');
    expect(fields.amountMinor).toBe(c.amountMinor ?? undefined);
    if (c.amountMinor !== null) expect(fields.amount).toMatch(/^\d+\.\d\d$/);
    expectMerchant(fields, c.merchant);
    if (fields.reference !== undefined) expect(fields.reference).toMatch(/^[\x20-\x7e]{1,25}$/);
    if (!c.reference || c.reference.trim() === '') expect(fields.reference).toBeUndefined();

    expect(c.matches(c.payload)).toEqual({ matches: true });
    // Anything written for another amount or id is caught, CRC or not.
    expect(c.matches(c.altered)).toMatchObject({ matches: false, problem: 'fields' });
  });
});
