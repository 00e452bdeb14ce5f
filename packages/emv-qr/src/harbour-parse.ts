/**
 * Reading Harbour's own payloads: finding the Harbour template and reporting
 * what the payload claims. Nothing here decides whether the claims are right;
 * harbour-match.ts compares them with the stored payment request.
 */
import { decodeEmvPayload, type DecodeFailureReason, type EmvPayload } from './decode';
import {
  HARBOUR_GUID,
  HARBOUR_REQUEST_ID_SUB_ID,
  MAX_PAYMENT_REQUEST_ID_LENGTH,
  PAYMENT_REQUEST_ID_PATTERN,
} from './harbour-constants';
import { EmvId, EmvSubId, isMerchantAccountTemplateId } from './ids';
import { currencyForNumeric, parseMinorUnits, type HarbourCurrency } from './money';
import { findObject, valueAt } from './tlv';

/** ID 64: the merchant's name and city as written, with their language. */
export interface HarbourAlternateLanguage {
  readonly language: string | undefined;
  readonly merchantName: string | undefined;
  readonly merchantCity: string | undefined;
}

/** What a Harbour payload says, field by field; a field is undefined when its object is absent. */
export interface HarbourFields {
  readonly paymentRequestId: string;
  /** The merchant account template the Harbour GUID was found in (26–51). */
  readonly templateId: string;
  readonly initiationMethod: string | undefined;
  readonly merchantCategoryCode: string | undefined;
  /** ID 53 as written (e.g. "344"). */
  readonly currencyNumeric: string | undefined;
  /** ID 53 as a currency Harbour issues, when it is one. */
  readonly currency: HarbourCurrency | undefined;
  /** ID 54 as written. */
  readonly amount: string | undefined;
  /** ID 54 in minor units, when it is a plain decimal with at most two places. */
  readonly amountMinor: bigint | undefined;
  readonly countryCode: string | undefined;
  readonly merchantName: string | undefined;
  readonly merchantCity: string | undefined;
  /** 62/05. */
  readonly reference: string | undefined;
  /** ID 64, when present. */
  readonly alternateLanguage: HarbourAlternateLanguage | undefined;
}

/** The outcome of looking for the Harbour template in a decoded payload. */
export type HarbourTemplateLookup =
  | { readonly found: 'none' }
  | { readonly found: 'malformed'; readonly message: string }
  | { readonly found: 'harbour'; readonly fields: HarbourFields };

/**
 * Looks for merchant account templates whose GUID is Harbour's (compared
 * case-insensitively, as GUIDs are). A payload claiming to be ours must be
 * unambiguously ours: exactly one such template, with a well-formed request id.
 */
export function findHarbourTemplate(payload: EmvPayload): HarbourTemplateLookup {
  const ours = payload.objects.filter(
    (object) =>
      isMerchantAccountTemplateId(object.id) &&
      valueAt(object.children ?? [], EmvSubId.globallyUniqueIdentifier)?.toUpperCase() === HARBOUR_GUID,
  );
  if (ours.length === 0) return { found: 'none' };
  if (ours.length > 1) {
    return { found: 'malformed', message: `the Harbour GUID appears in ${ours.map((o) => o.id).join(' and ')}` };
  }
  const template = ours[0]!;
  const paymentRequestId = valueAt(template.children ?? [], HARBOUR_REQUEST_ID_SUB_ID);
  if (paymentRequestId === undefined) {
    return { found: 'malformed', message: `the Harbour template ${template.id} has no payment request id` };
  }
  if (!PAYMENT_REQUEST_ID_PATTERN.test(paymentRequestId) || paymentRequestId.length > MAX_PAYMENT_REQUEST_ID_LENGTH) {
    return { found: 'malformed', message: `the Harbour template ${template.id} has a malformed payment request id` };
  }
  return { found: 'harbour', fields: readFields(payload, template.id, paymentRequestId) };
}

function readFields(payload: EmvPayload, templateId: string, paymentRequestId: string): HarbourFields {
  const { objects } = payload;
  const currencyNumeric = valueAt(objects, EmvId.transactionCurrency);
  const amount = valueAt(objects, EmvId.transactionAmount);
  const language = findObject(objects, EmvId.languageTemplate);
  return {
    paymentRequestId,
    templateId,
    initiationMethod: valueAt(objects, EmvId.pointOfInitiationMethod),
    merchantCategoryCode: valueAt(objects, EmvId.merchantCategoryCode),
    currencyNumeric,
    currency: currencyNumeric === undefined ? undefined : currencyForNumeric(currencyNumeric),
    amount,
    amountMinor: amount === undefined ? undefined : parseMinorUnits(amount),
    countryCode: valueAt(objects, EmvId.countryCode),
    merchantName: valueAt(objects, EmvId.merchantName),
    merchantCity: valueAt(objects, EmvId.merchantCity),
    reference: valueAt(objects, EmvId.additionalData, EmvSubId.referenceLabel),
    alternateLanguage: language && {
      language: valueAt(language.children ?? [], EmvSubId.languagePreference),
      merchantName: valueAt(language.children ?? [], EmvSubId.alternateMerchantName),
      merchantCity: valueAt(language.children ?? [], EmvSubId.alternateMerchantCity),
    },
  };
}

/** Why a string is not a Harbour payload. */
export type HarbourParseFailureReason = DecodeFailureReason | 'bad-harbour-template' | 'not-harbour';

export type HarbourParseResult =
  | { readonly ok: true; readonly fields: HarbourFields; readonly payload: EmvPayload }
  | { readonly ok: false; readonly reason: HarbourParseFailureReason; readonly message: string };

/** Decodes `text` and reads it as a Harbour payload. */
export function parseHarbourPayload(text: string): HarbourParseResult {
  const decoded = decodeEmvPayload(text);
  if (!decoded.ok) return { ok: false, reason: decoded.failure.reason, message: decoded.failure.message };
  const lookup = findHarbourTemplate(decoded.payload);
  switch (lookup.found) {
    case 'none':
      return { ok: false, reason: 'not-harbour', message: 'no merchant account template carries the Harbour GUID' };
    case 'malformed':
      return { ok: false, reason: 'bad-harbour-template', message: lookup.message };
    case 'harbour':
      return { ok: true, fields: lookup.fields, payload: decoded.payload };
  }
}
