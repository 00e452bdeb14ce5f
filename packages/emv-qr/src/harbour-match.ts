/**
 * Does a scanned Harbour payload say what the stored payment request, business
 * (shop QR) or payment link says? A recomputed CRC makes a tampered payload
 * decode cleanly, so the CRC proves nothing about who wrote it; the fields
 * must equal the ones Harbour would write for what the payload names. The API
 * answers INVALID_QR when they do not.
 *
 * This is also where a link's ID 54 is judged: the reader lets a link payload
 * carry one or not, and only the stored link knows whether its amount is fixed.
 */
import {
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  type HarbourPayloadInput,
  type PaymentLinkPayloadInput,
  type ShopPayloadInput,
} from './harbour-encode';
import { parseHarbourPayload, type HarbourFields, type HarbourParseFailureReason } from './harbour-parse';

/** The fields compared, in payload order (the target sits in the template, after ID 01). */
export type HarbourField =
  | 'initiationMethod'
  | 'targetKind'
  | 'targetId'
  | 'merchantCategoryCode'
  | 'currency'
  | 'amount'
  | 'countryCode'
  | 'merchantName'
  | 'merchantCity'
  | 'reference'
  | 'alternateLanguage'
  | 'alternateMerchantName'
  | 'alternateMerchantCity';

export interface HarbourFieldMismatch {
  readonly field: HarbourField;
  /** As Harbour writes it for the expected request, business or link (undefined: left out). */
  readonly expected: string | undefined;
  /** As the scanned payload has it (undefined: absent). */
  readonly actual: string | undefined;
}

export type HarbourMatch =
  | { readonly matches: true }
  /** Not a readable Harbour payload at all. */
  | {
      readonly matches: false;
      readonly problem: 'unreadable';
      readonly reason: HarbourParseFailureReason;
      readonly message: string;
    }
  /** Some fields differ from what Harbour writes for the expected request, business or link. */
  | { readonly matches: false; readonly problem: 'fields'; readonly mismatches: readonly HarbourFieldMismatch[] }
  /**
   * Every field agrees, but the payload is not the exact text Harbour writes:
   * objects added, reordered, a lowercase CRC or GUID. Harbour's encoder is
   * deterministic, so any other text was produced by someone else.
   */
  | { readonly matches: false; readonly problem: 'layout'; readonly expected: string; readonly actual: string };

type FieldView = Record<HarbourField, string | undefined>;

function view(fields: HarbourFields): FieldView {
  return {
    initiationMethod: fields.initiationMethod,
    targetKind: fields.target.kind,
    targetId: fields.target.id,
    merchantCategoryCode: fields.merchantCategoryCode,
    currency: fields.currencyNumeric,
    amount: fields.amount,
    countryCode: fields.countryCode,
    merchantName: fields.merchantName,
    merchantCity: fields.merchantCity,
    reference: fields.reference,
    alternateLanguage: fields.alternateLanguage?.language,
    alternateMerchantName: fields.alternateLanguage?.merchantName,
    alternateMerchantCity: fields.alternateLanguage?.merchantCity,
  };
}

/**
 * Compares `payload` with the payload Harbour writes for `expected` (the
 * values the request was created with). Throws HarbourPayloadInputError when
 * `expected` itself cannot be encoded; so do the two below.
 */
export function harbourPayloadMatches(payload: string, expected: HarbourPayloadInput): HarbourMatch {
  return matchesCanonical(payload, encodeHarbourPayload(expected));
}

/** Compares `payload` with the shop QR Harbour writes for the business as it is now. */
export function shopPayloadMatches(payload: string, expected: ShopPayloadInput): HarbourMatch {
  return matchesCanonical(payload, encodeShopPayload(expected));
}

/**
 * Compares `payload` with the QR Harbour writes for the stored link: an
 * amount (ID 54) in a payload for a link whose payer chooses, or none for a
 * link with a fixed amount, is an `amount` mismatch.
 */
export function paymentLinkPayloadMatches(payload: string, expected: PaymentLinkPayloadInput): HarbourMatch {
  return matchesCanonical(payload, encodePaymentLinkPayload(expected));
}

/** Field by field, then the exact text: Harbour's encoder is deterministic. */
function matchesCanonical(payload: string, canonical: string): HarbourMatch {
  const scanned = parseHarbourPayload(payload);
  if (!scanned.ok) return { matches: false, problem: 'unreadable', reason: scanned.reason, message: scanned.message };
  const reference = parseHarbourPayload(canonical);
  if (!reference.ok) throw new Error(`Harbour's own payload does not parse: ${reference.message}`);

  const want = view(reference.fields);
  const got = view(scanned.fields);
  const mismatches = (Object.keys(want) as HarbourField[])
    .filter((field) => want[field] !== got[field])
    .map((field) => ({ field, expected: want[field], actual: got[field] }));
  if (mismatches.length > 0) return { matches: false, problem: 'fields', mismatches };
  if (payload !== canonical) return { matches: false, problem: 'layout', expected: canonical, actual: payload };
  return { matches: true };
}
