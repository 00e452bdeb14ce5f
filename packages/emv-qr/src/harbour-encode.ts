/**
 * Harbour's own payloads, laid out exactly as the client contract says (see
 * the "QR codes" section): 00, 01 = 12, the Harbour template, 52, 53, 54, 58,
 * 59, 60, 62 (when there is a reference), 64 (when the name or city is not
 * plain ASCII), 63. The same layout is the reference harbour-match.ts compares
 * scanned payloads with.
 */
import { crcHex } from './crc';
import { HarbourPayloadInputError } from './errors';
import {
  ALTERNATE_LANGUAGE,
  HARBOUR_GUID,
  HARBOUR_REQUEST_ID_SUB_ID,
  HARBOUR_TEMPLATE_ID,
  MAX_MERCHANT_CITY_LENGTH,
  MAX_MERCHANT_NAME_LENGTH,
  MAX_PAYMENT_REQUEST_ID_LENGTH,
  MAX_REFERENCE_LENGTH,
  NOT_AVAILABLE,
  NO_MERCHANT_CATEGORY,
  PAYMENT_REQUEST_ID_PATTERN,
} from './harbour-constants';
import { EmvId, EmvSubId, INITIATION_DYNAMIC, PAYLOAD_FORMAT_INDICATOR } from './ids';
import { HARBOUR_CURRENCIES, formatMinorUnits, isHarbourCurrency, type HarbourCurrency } from './money';
import { codePointLength, hasForbiddenCharacters, isPrintableAscii, toPrintableAscii } from './text';
import { encodeTlvList, type TlvInput } from './tlv';

export interface HarbourPayloadInput {
  /** The payment request's opaque id; letters, digits, "_" and "-". */
  readonly paymentRequestId: string;
  /** The amount in minor units (cents); at least 1. */
  readonly amountMinor: bigint;
  readonly currency: HarbourCurrency;
  /** 1–25 characters, any script. */
  readonly merchantName: string;
  /** 1–15 characters, any script. */
  readonly merchantCity: string;
  /** Four digits; "0000" when absent. */
  readonly merchantCategoryCode?: string | null;
  /** Up to 25 characters; left out when absent or empty. */
  readonly reference?: string | null;
}

/** EMVCo's limit for ID 54. */
const MAX_AMOUNT_LENGTH = 13;

/** The payload for a payment request. Throws HarbourPayloadInputError on input it cannot carry. */
export function encodeHarbourPayload(input: HarbourPayloadInput): string {
  const body = encodeTlvList(harbourObjects(input));
  // The CRC covers its own ID and length ("6304") as well as everything before.
  const covered = `${body}${EmvId.crc}04`;
  return `${covered}${crcHex(covered)}`;
}

/** The data objects of a Harbour payload, in order, without the CRC. */
export function harbourObjects(input: HarbourPayloadInput): TlvInput[] {
  validate(input);
  const currency = HARBOUR_CURRENCIES[input.currency];
  const reference = input.reference ? toPrintableAscii(input.reference) : '';
  const plain = isPrintableAscii(input.merchantName) && isPrintableAscii(input.merchantCity);

  const objects: TlvInput[] = [
    { id: EmvId.payloadFormatIndicator, value: PAYLOAD_FORMAT_INDICATOR },
    { id: EmvId.pointOfInitiationMethod, value: INITIATION_DYNAMIC },
    {
      id: HARBOUR_TEMPLATE_ID,
      children: [
        { id: EmvSubId.globallyUniqueIdentifier, value: HARBOUR_GUID },
        { id: HARBOUR_REQUEST_ID_SUB_ID, value: input.paymentRequestId },
      ],
    },
    { id: EmvId.merchantCategoryCode, value: input.merchantCategoryCode || NO_MERCHANT_CATEGORY },
    { id: EmvId.transactionCurrency, value: currency.numeric },
    { id: EmvId.transactionAmount, value: formatMinorUnits(input.amountMinor) },
    { id: EmvId.countryCode, value: currency.country },
    { id: EmvId.merchantName, value: asciiOrNa(input.merchantName) },
    { id: EmvId.merchantCity, value: asciiOrNa(input.merchantCity) },
  ];
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
        { id: EmvSubId.alternateMerchantName, value: input.merchantName },
        { id: EmvSubId.alternateMerchantCity, value: input.merchantCity },
      ],
    });
  }
  return objects;
}

function asciiOrNa(text: string): string {
  return toPrintableAscii(text) || NOT_AVAILABLE;
}

function validate(input: HarbourPayloadInput): void {
  const { paymentRequestId: id } = input;
  if (!PAYMENT_REQUEST_ID_PATTERN.test(id) || id.length > MAX_PAYMENT_REQUEST_ID_LENGTH) {
    throw new HarbourPayloadInputError(
      'paymentRequestId',
      `must be 1–${MAX_PAYMENT_REQUEST_ID_LENGTH} letters, digits, "_" or "-"`,
    );
  }
  if (typeof input.amountMinor !== 'bigint' || input.amountMinor < 1n) {
    throw new HarbourPayloadInputError('amountMinor', 'must be a bigint of at least 1');
  }
  if (formatMinorUnits(input.amountMinor).length > MAX_AMOUNT_LENGTH) {
    throw new HarbourPayloadInputError('amountMinor', `does not fit EMVCo's ${MAX_AMOUNT_LENGTH} characters`);
  }
  if (!isHarbourCurrency(input.currency)) {
    throw new HarbourPayloadInputError('currency', `must be one of ${Object.keys(HARBOUR_CURRENCIES).join(', ')}`);
  }
  checkText('merchantName', input.merchantName, MAX_MERCHANT_NAME_LENGTH, true);
  checkText('merchantCity', input.merchantCity, MAX_MERCHANT_CITY_LENGTH, true);
  if (input.merchantCategoryCode && !/^\d{4}$/.test(input.merchantCategoryCode)) {
    throw new HarbourPayloadInputError('merchantCategoryCode', 'must be four digits');
  }
  if (input.reference) checkText('reference', input.reference, MAX_REFERENCE_LENGTH, false);
}

function checkText(field: string, text: string, max: number, required: boolean): void {
  if (typeof text !== 'string') throw new HarbourPayloadInputError(field, 'must be a string');
  if (required && text.trim().length === 0) throw new HarbourPayloadInputError(field, 'must not be blank');
  if (codePointLength(text) > max) throw new HarbourPayloadInputError(field, `must be at most ${max} characters`);
  if (hasForbiddenCharacters(text)) {
    throw new HarbourPayloadInputError(field, 'must not contain control characters or unpaired surrogates');
  }
}
