/**
 * Harbour's own payloads, laid out exactly as the client contract says (see
 * the "QR codes" section). There are three, one per thing a code points at,
 * and they differ only where the target's rules (HARBOUR_TARGET_RULES) say:
 *
 * - a payment request (`encodeHarbourPayload`): 01 = 12 (dynamic), template
 *   sub-ID 01 = the request id, 54 = the amount, 62/05 = the reference when
 *   there is one;
 * - a shop (`encodeShopPayload`): 01 = 11 (static), sub-ID 02 = the business
 *   id, no 54 (the customer types the amount), no 62;
 * - a payment link (`encodePaymentLinkPayload`): 01 = 11, sub-ID 03 = the link
 *   id, 54 only when the link fixes the amount, no 62.
 *
 * All in this order: 00, 01, the Harbour template (30), 52, 53, [54], 58, 59,
 * 60, [62], [64 when the name or city is not plain ASCII], 63. The same
 * encoding is the reference harbour-match.ts compares scanned payloads with.
 */
import { crcHex } from './crc';
import { HarbourPayloadInputError } from './errors';
import {
  ALTERNATE_LANGUAGE,
  HARBOUR_GUID,
  HARBOUR_ID_PATTERN,
  HARBOUR_TARGET_RULES,
  HARBOUR_TEMPLATE_ID,
  MAX_HARBOUR_ID_LENGTH,
  MAX_MERCHANT_CITY_LENGTH,
  MAX_MERCHANT_NAME_LENGTH,
  MAX_REFERENCE_LENGTH,
  NOT_AVAILABLE,
  NO_MERCHANT_CATEGORY,
  type HarbourTarget,
} from './harbour-constants';
import { EmvId, EmvSubId, PAYLOAD_FORMAT_INDICATOR } from './ids';
import { HARBOUR_CURRENCIES, formatMinorUnits, isHarbourCurrency, type HarbourCurrency } from './money';
import { codePointLength, hasForbiddenCharacters, isPrintableAscii, toPrintableAscii } from './text';
import { encodeTlvList, type TlvInput } from './tlv';

/** What every Harbour payload says about the business behind it. */
export interface HarbourMerchantInput {
  readonly currency: HarbourCurrency;
  /** 1–25 characters, any script. */
  readonly merchantName: string;
  /** 1–15 characters, any script. */
  readonly merchantCity: string;
  /** Four digits; "0000" when absent. */
  readonly merchantCategoryCode?: string | null;
}

/** A payment request's dynamic payload. */
export interface HarbourPayloadInput extends HarbourMerchantInput {
  /** The payment request's opaque id; letters, digits, "_" and "-". */
  readonly paymentRequestId: string;
  /** The amount in minor units (cents); at least 1. */
  readonly amountMinor: bigint;
  /** Up to 25 characters; left out when absent or empty. */
  readonly reference?: string | null;
}

/** A shop's static payload: the business as it is now, no amount. */
export interface ShopPayloadInput extends HarbourMerchantInput {
  /** The business's unguessable id; letters, digits, "_" and "-". */
  readonly businessId: string;
}

/** A payment link's static payload. */
export interface PaymentLinkPayloadInput extends HarbourMerchantInput {
  /** The link's opaque id; letters, digits, "_" and "-". */
  readonly paymentLinkId: string;
  /** The fixed amount; null when the payer chooses (then no ID 54). */
  readonly amountMinor: bigint | null;
}

/** Any of the three, reduced to what the layout needs. */
interface HarbourPayloadSpec extends HarbourMerchantInput {
  readonly target: HarbourTarget;
  /** The input field the target's id came from, as HarbourPayloadInputError names it. */
  readonly idField: string;
  /** null: no ID 54. */
  readonly amountMinor: bigint | null;
  readonly reference?: string | null;
}

/** EMVCo's limit for ID 54. */
const MAX_AMOUNT_LENGTH = 13;

/** The payload for a payment request. Throws HarbourPayloadInputError on input it cannot carry. */
export function encodeHarbourPayload(input: HarbourPayloadInput): string {
  return withCrc(harbourObjects(input));
}

/** The shop QR of a business. Throws HarbourPayloadInputError on input it cannot carry. */
export function encodeShopPayload(input: ShopPayloadInput): string {
  return withCrc(
    specObjects({ ...merchantOf(input), target: { kind: 'business', id: input.businessId }, idField: 'businessId', amountMinor: null }),
  );
}

/** A payment link's `qrPayload`. Throws HarbourPayloadInputError on input it cannot carry. */
export function encodePaymentLinkPayload(input: PaymentLinkPayloadInput): string {
  return withCrc(
    specObjects({
      ...merchantOf(input),
      target: { kind: 'paymentLink', id: input.paymentLinkId },
      idField: 'paymentLinkId',
      amountMinor: input.amountMinor,
    }),
  );
}

/** The data objects of a payment request's payload, in order, without the CRC. */
export function harbourObjects(input: HarbourPayloadInput): TlvInput[] {
  return specObjects({
    ...merchantOf(input),
    target: { kind: 'paymentRequest', id: input.paymentRequestId },
    idField: 'paymentRequestId',
    amountMinor: input.amountMinor,
    reference: input.reference,
  });
}

/** Only the merchant fields, so an input's other properties never reach the layout. */
function merchantOf(input: HarbourMerchantInput): HarbourMerchantInput {
  const { currency, merchantName, merchantCity, merchantCategoryCode } = input;
  return { currency, merchantName, merchantCity, merchantCategoryCode };
}

function withCrc(objects: readonly TlvInput[]): string {
  // The CRC covers its own ID and length ("6304") as well as everything before.
  const covered = `${encodeTlvList(objects)}${EmvId.crc}04`;
  return `${covered}${crcHex(covered)}`;
}

function specObjects(spec: HarbourPayloadSpec): TlvInput[] {
  validate(spec);
  const rule = HARBOUR_TARGET_RULES[spec.target.kind];
  const currency = HARBOUR_CURRENCIES[spec.currency];
  const reference = spec.reference ? toPrintableAscii(spec.reference) : '';
  const plain = isPrintableAscii(spec.merchantName) && isPrintableAscii(spec.merchantCity);

  const objects: TlvInput[] = [
    { id: EmvId.payloadFormatIndicator, value: PAYLOAD_FORMAT_INDICATOR },
    { id: EmvId.pointOfInitiationMethod, value: rule.initiationMethod },
    {
      id: HARBOUR_TEMPLATE_ID,
      children: [
        { id: EmvSubId.globallyUniqueIdentifier, value: HARBOUR_GUID },
        { id: rule.subId, value: spec.target.id },
      ],
    },
    { id: EmvId.merchantCategoryCode, value: spec.merchantCategoryCode || NO_MERCHANT_CATEGORY },
    { id: EmvId.transactionCurrency, value: currency.numeric },
  ];
  if (spec.amountMinor !== null) objects.push({ id: EmvId.transactionAmount, value: formatMinorUnits(spec.amountMinor) });
  objects.push(
    { id: EmvId.countryCode, value: currency.country },
    { id: EmvId.merchantName, value: asciiOrNa(spec.merchantName) },
    { id: EmvId.merchantCity, value: asciiOrNa(spec.merchantCity) },
  );
  if (reference) {
    objects.push({ id: EmvId.additionalData, children: [{ id: EmvSubId.referenceLabel, value: reference }] });
  }
  if (!plain) {
    // Wallets that read ID 64 show the name as the merchant wrote it; the
    // ASCII in 59/60 is for those that do not. Both go in so the pair is complete.
    objects.push({
      id: EmvId.languageTemplate,
      children: [
        { id: EmvSubId.languagePreference, value: ALTERNATE_LANGUAGE },
        { id: EmvSubId.alternateMerchantName, value: spec.merchantName },
        { id: EmvSubId.alternateMerchantCity, value: spec.merchantCity },
      ],
    });
  }
  return objects;
}

function asciiOrNa(text: string): string {
  return toPrintableAscii(text) || NOT_AVAILABLE;
}

function validate(spec: HarbourPayloadSpec): void {
  const { id } = spec.target;
  if (typeof id !== 'string' || !HARBOUR_ID_PATTERN.test(id) || id.length > MAX_HARBOUR_ID_LENGTH) {
    throw new HarbourPayloadInputError(spec.idField, `must be 1–${MAX_HARBOUR_ID_LENGTH} letters, digits, "_" or "-"`);
  }
  checkAmount(spec);
  if (!isHarbourCurrency(spec.currency)) {
    throw new HarbourPayloadInputError('currency', `must be one of ${Object.keys(HARBOUR_CURRENCIES).join(', ')}`);
  }
  checkText('merchantName', spec.merchantName, MAX_MERCHANT_NAME_LENGTH, true);
  checkText('merchantCity', spec.merchantCity, MAX_MERCHANT_CITY_LENGTH, true);
  if (spec.merchantCategoryCode && !/^\d{4}$/.test(spec.merchantCategoryCode)) {
    throw new HarbourPayloadInputError('merchantCategoryCode', 'must be four digits');
  }
  if (spec.reference) checkText('reference', spec.reference, MAX_REFERENCE_LENGTH, false);
}

function checkAmount({ target, amountMinor }: HarbourPayloadSpec): void {
  // A shop's spec never has an amount; a link's is null when the payer chooses.
  const { amount } = HARBOUR_TARGET_RULES[target.kind];
  if (amountMinor === null && amount !== 'required') return;
  if (typeof amountMinor !== 'bigint' || amountMinor < 1n) {
    const allowed = amount === 'required' ? 'a bigint' : 'null or a bigint';
    throw new HarbourPayloadInputError('amountMinor', `must be ${allowed} of at least 1`);
  }
  if (formatMinorUnits(amountMinor).length > MAX_AMOUNT_LENGTH) {
    throw new HarbourPayloadInputError('amountMinor', `does not fit EMVCo's ${MAX_AMOUNT_LENGTH} characters`);
  }
}

function checkText(field: string, text: string, max: number, required: boolean): void {
  if (typeof text !== 'string') throw new HarbourPayloadInputError(field, 'must be a string');
  if (required && text.trim().length === 0) throw new HarbourPayloadInputError(field, 'must not be blank');
  if (codePointLength(text) > max) throw new HarbourPayloadInputError(field, `must be at most ${max} characters`);
  if (hasForbiddenCharacters(text)) {
    throw new HarbourPayloadInputError(field, 'must not contain control characters or unpaired surrogates');
  }
}
