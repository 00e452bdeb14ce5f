/**
 * Classification of any string a camera could read, for paymentRequestByQr:
 *
 * - `harbour`: a readable payload carrying Harbour's GUID and a request id.
 *   Whether its other fields are right is for harbourPayloadMatches to say.
 * - `other-scheme`: a readable EMVCo payload that is not ours (FPS, PayNow,
 *   PromptPay, Pix, ...) → QR_NOT_SUPPORTED. It may break rules that leave it
 *   intact and unambiguous (conformance.ts); those are listed in `issues`.
 * - `invalid`: not a readable payload (decode.ts), or one that claims to be
 *   ours without a usable Harbour template → INVALID_QR.
 */
import { conformanceIssues, type ConformanceIssue } from './conformance';
import { decodeEmvPayload, type DecodeFailureReason, type EmvPayload } from './decode';
import { findHarbourTemplate, type HarbourFields } from './harbour-parse';
import { schemeHints, type SchemeHint } from './schemes';

export type InvalidScanReason = DecodeFailureReason | 'bad-harbour-template';

export type ScanClassification =
  | { readonly kind: 'harbour'; readonly paymentRequestId: string; readonly fields: HarbourFields; readonly payload: EmvPayload }
  | {
      readonly kind: 'other-scheme';
      readonly schemes: readonly SchemeHint[];
      readonly issues: readonly ConformanceIssue[];
      readonly payload: EmvPayload;
    }
  | { readonly kind: 'invalid'; readonly reason: InvalidScanReason; readonly message: string };

/**
 * The text is taken exactly as read: no trimming, because an MPM payload
 * neither starts nor ends with whitespace and a reader that adds some has
 * changed what was printed.
 */
export function classifyScan(text: string): ScanClassification {
  const decoded = decodeEmvPayload(text);
  if (!decoded.ok) return { kind: 'invalid', reason: decoded.failure.reason, message: decoded.failure.message };
  const { payload } = decoded;
  const lookup = findHarbourTemplate(payload);
  switch (lookup.found) {
    case 'harbour':
      return { kind: 'harbour', paymentRequestId: lookup.fields.paymentRequestId, fields: lookup.fields, payload };
    case 'malformed':
      return { kind: 'invalid', reason: 'bad-harbour-template', message: lookup.message };
    case 'none':
      return { kind: 'other-scheme', schemes: schemeHints(payload), issues: conformanceIssues(payload), payload };
  }
}
