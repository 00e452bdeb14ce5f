/**
 * @harbour/emv-qr: EMVCo merchant-presented QR payloads.
 *
 * - Harbour's own payloads, one kind per thing a code points at (its
 *   `HarbourTarget`), each with an encoder and a matcher that compares a
 *   scanned payload with the stored record (tampering → INVALID_QR):
 *   - a payment request, dynamic (01 = 12) with its amount:
 *     `encodeHarbourPayload`, `harbourPayloadMatches`;
 *   - a business's shop QR, static (01 = 11) with no amount:
 *     `encodeShopPayload`, `shopPayloadMatches`;
 *   - a payment link, static, with an amount only when the link fixes one:
 *     `encodePaymentLinkPayload`, `paymentLinkPayloadMatches`.
 *   `parseHarbourPayload` reads any of them back.
 * - Scans: `classifyScan` sorts any camera string into `harbour` (with its
 *   target), `other-scheme` (QR_NOT_SUPPORTED) or `invalid` (INVALID_QR).
 * - Drawing: `renderQrSvg`.
 * - The layers beneath, for tests and tools: the TLV codec, payload decoding
 *   with typed failures, the lenient conformance rules and the CRC.
 */
export { classifyScan, type InvalidScanReason, type ScanClassification } from './classify';
export { conformanceIssues, describeIssue, type ConformanceIssue } from './conformance';
export { crc16CcittFalse, crcHex } from './crc';
export { decodeEmvPayload, type DecodeFailure, type DecodeFailureReason, type DecodeResult, type EmvPayload } from './decode';
export { HarbourPayloadInputError } from './errors';
export {
  ALTERNATE_LANGUAGE,
  HARBOUR_BUSINESS_ID_SUB_ID,
  HARBOUR_GUID,
  HARBOUR_PAYMENT_LINK_ID_SUB_ID,
  HARBOUR_REQUEST_ID_SUB_ID,
  HARBOUR_TEMPLATE_ID,
  MAX_HARBOUR_ID_LENGTH,
  MAX_MERCHANT_CITY_LENGTH,
  MAX_MERCHANT_NAME_LENGTH,
  MAX_PAYMENT_REQUEST_ID_LENGTH,
  MAX_REFERENCE_LENGTH,
  type HarbourTarget,
  type HarbourTargetKind,
} from './harbour-constants';
export {
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  harbourObjects,
  type HarbourMerchantInput,
  type HarbourPayloadInput,
  type PaymentLinkPayloadInput,
  type ShopPayloadInput,
} from './harbour-encode';
export {
  harbourPayloadMatches,
  paymentLinkPayloadMatches,
  shopPayloadMatches,
  type HarbourField,
  type HarbourFieldMismatch,
  type HarbourMatch,
} from './harbour-match';
export {
  findHarbourTemplate,
  parseHarbourPayload,
  type HarbourAlternateLanguage,
  type HarbourFields,
  type HarbourParseFailureReason,
  type HarbourParseResult,
  type HarbourTemplateFailureReason,
  type HarbourTemplateLookup,
} from './harbour-parse';
export { EmvId, EmvSubId, isMerchantAccountId, isMerchantAccountTemplateId, isTemplateId } from './ids';
export { HARBOUR_CURRENCIES, formatMinorUnits, parseMinorUnits, type HarbourCurrency } from './money';
export { schemeHints, type SchemeHint } from './schemes';
export { renderQrSvg } from './svg';
export {
  encodeTlvList,
  encodeTlvObject,
  findObject,
  parseTlvList,
  valueAt,
  type TlvInput,
  type TlvListResult,
  type TlvObject,
} from './tlv';
