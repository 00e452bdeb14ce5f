/**
 * @harbour/emv-qr: EMVCo merchant-presented QR payloads.
 *
 * - Harbour's own payloads: `encodeHarbourPayload` writes one for a payment
 *   request, `parseHarbourPayload` reads one back, `harbourPayloadMatches`
 *   compares a scanned one with the stored request (tampering → INVALID_QR).
 * - Scans: `classifyScan` sorts any camera string into `harbour`,
 *   `other-scheme` (QR_NOT_SUPPORTED) or `invalid` (INVALID_QR).
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
  HARBOUR_GUID,
  HARBOUR_REQUEST_ID_SUB_ID,
  HARBOUR_TEMPLATE_ID,
  MAX_MERCHANT_CITY_LENGTH,
  MAX_MERCHANT_NAME_LENGTH,
  MAX_PAYMENT_REQUEST_ID_LENGTH,
  MAX_REFERENCE_LENGTH,
} from './harbour-constants';
export { encodeHarbourPayload, harbourObjects, type HarbourPayloadInput } from './harbour-encode';
export { harbourPayloadMatches, type HarbourField, type HarbourFieldMismatch, type HarbourMatch } from './harbour-match';
export {
  findHarbourTemplate,
  parseHarbourPayload,
  type HarbourAlternateLanguage,
  type HarbourFields,
  type HarbourParseFailureReason,
  type HarbourParseResult,
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
