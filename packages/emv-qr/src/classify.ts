/**
 * Classification of any string a camera could read, for scanQr and
 * paymentRequestByQr:
 *
 * - `harbour`: a readable payload carrying Harbour's GUID and exactly one
 *   target: a payment request (template sub-ID 01, dynamic, with an amount),
 *   a business's shop QR (sub-ID 02, static, no amount) or a payment link
 *   (sub-ID 03, static, an amount only when the link fixes one). `target` says
 *   which and its id; whether the other fields are right is for
 *   harbourPayloadMatches, shopPayloadMatches or paymentLinkPayloadMatches to
 *   say, against what the store holds for that id.
 * - `other-scheme`: a readable EMVCo payload that is not ours (FPS, PayNow,
 *   PromptPay, Pix, ...) → QR_NOT_SUPPORTED, whatever its 01 and 54 say. It
 *   may break rules that leave it intact and unambiguous (conformance.ts);
 *   those are listed in `issues`.
 * - `invalid`: not a readable payload (decode.ts), or one that claims to be
 *   ours without a usable Harbour template, or whose ID 01 or ID 54 does not
 *   fit what it points at (a static code claiming an amount, a dynamic one
 *   without it) → INVALID_QR.
 */
import { conformanceIssues, type ConformanceIssue } from './conformance';
import { decodeEmvPayload, type DecodeFailureReason, type EmvPayload } from './decode';
import { type HarbourTarget } from './harbour-constants';
import { findHarbourTemplate, type HarbourFields, type HarbourTemplateFailureReason } from './harbour-parse';
import { schemeHints, type SchemeHint } from './schemes';

export type InvalidScanReason = DecodeFailureReason | HarbourTemplateFailureReason;

export type ScanClassification =
  | { readonly kind: 'harbour'; readonly target: HarbourTarget; readonly fields: HarbourFields; readonly payload: EmvPayload }
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
      return { kind: 'harbour', target: lookup.fields.target, fields: lookup.fields, payload };
    case 'malformed':
      return { kind: 'invalid', reason: lookup.reason, message: lookup.message };
    case 'none':
      return { kind: 'other-scheme', schemes: schemeHints(payload), issues: conformanceIssues(payload), payload };
  }
}
