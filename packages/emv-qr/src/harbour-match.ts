/**
 * Does a scanned Harbour payload say what the stored payment request says?
 * A recomputed CRC makes a tampered payload decode cleanly, so the CRC proves
 * nothing about who wrote it; the fields must equal the ones Harbour would
 * write for the request. The API answers INVALID_QR when they do not.
 */
import { encodeHarbourPayload, type HarbourPayloadInput } from './harbour-encode';
import { parseHarbourPayload, type HarbourFields, type HarbourParseFailureReason } from './harbour-parse';

/** The fields compared, in payload order. */
export type HarbourField =
  | 'paymentRequestId'
  | 'initiationMethod'
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
  /** As Harbour writes it for the expected request (undefined: left out). */
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
  /** Some fields differ from what Harbour writes for the request. */
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
    paymentRequestId: fields.paymentRequestId,
    initiationMethod: fields.initiationMethod,
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
 * `expected` itself cannot be encoded.
 */
export function harbourPayloadMatches(payload: string, expected: HarbourPayloadInput): HarbourMatch {
  const canonical = encodeHarbourPayload(expected);
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
