/**
 * EMVCo rules whose breach leaves a payload intact and unambiguous: a
 * mandatory object left out, a value in the wrong format. Such payloads are
 * still somebody's QR code, and usually a working one (PromptPay codes leave
 * out 52, 59 and 60 as a matter of course), so they are classified as another
 * scheme's code (QR_NOT_SUPPORTED) rather than as damaged (INVALID_QR). Harbour
 * does not pay them either way; the distinction is only in what the payer is
 * told. Harbour's own payloads are held to their exact layout separately.
 */
import { type EmvPayload } from './decode';
import {
  EmvId,
  EmvSubId,
  INITIATION_DYNAMIC,
  INITIATION_STATIC,
  MAX_PAYLOAD_LENGTH,
  isMerchantAccountId,
  isMerchantAccountTemplateId,
} from './ids';
import { codePointLength } from './text';
import { findObject, type TlvObject } from './tlv';

/**
 * One breached rule. `id` is the data object's path ("52", "64.00"), "02-51"
 * for the merchant account information as a whole, or "payload".
 */
export type ConformanceIssue =
  | { readonly rule: 'missing'; readonly id: string }
  | { readonly rule: 'format'; readonly id: string; readonly expected: string };

/** The ones EMVCo marks mandatory besides 00 and 63, which decode.ts enforces. */
const MANDATORY = [
  EmvId.merchantCategoryCode,
  EmvId.transactionCurrency,
  EmvId.countryCode,
  EmvId.merchantName,
  EmvId.merchantCity,
];

/** Primitive formats: a pattern and the wording used in the issue. */
const FORMATS: ReadonlyArray<readonly [id: string, pattern: RegExp, expected: string]> = [
  [EmvId.pointOfInitiationMethod, new RegExp(`^(${INITIATION_STATIC}|${INITIATION_DYNAMIC})$`), '11 or 12'],
  [EmvId.merchantCategoryCode, /^\d{4}$/, 'four digits'],
  [EmvId.transactionCurrency, /^\d{3}$/, 'an ISO 4217 numeric code'],
  [EmvId.transactionAmount, /^(?=.{1,13}$)\d+(\.\d+)?$/, 'digits with an optional decimal point, at most 13 characters'],
  [EmvId.tipOrConvenienceIndicator, /^0[1-3]$/, '01, 02 or 03'],
  [EmvId.countryCode, /^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'],
  [EmvId.crc, /^[0-9A-F]{4}$/, 'four uppercase hexadecimal digits'],
];

const MAX_LENGTHS: ReadonlyArray<readonly [id: string, max: number]> = [
  [EmvId.merchantName, 25],
  [EmvId.merchantCity, 15],
  [EmvId.postalCode, 10],
];

/** Every rule the payload breaks, in a stable order; empty when it conforms. */
export function conformanceIssues(payload: EmvPayload): ConformanceIssue[] {
  const issues: ConformanceIssue[] = [];
  const { objects } = payload;

  if (codePointLength(payload.text) > MAX_PAYLOAD_LENGTH) {
    issues.push({ rule: 'format', id: 'payload', expected: `at most ${MAX_PAYLOAD_LENGTH} characters` });
  }
  if (!objects.some((object) => isMerchantAccountId(object.id))) issues.push({ rule: 'missing', id: '02-51' });
  for (const id of MANDATORY) {
    if (!findObject(objects, id)) issues.push({ rule: 'missing', id });
  }
  for (const [id, pattern, expected] of FORMATS) {
    const object = findObject(objects, id);
    if (object && !pattern.test(object.value)) issues.push({ rule: 'format', id, expected });
  }
  for (const [id, max] of MAX_LENGTHS) {
    const object = findObject(objects, id);
    if (object && codePointLength(object.value) > max) issues.push({ rule: 'format', id, expected: `at most ${max} characters` });
  }
  for (const object of objects) {
    if (isMerchantAccountTemplateId(object.id)) issues.push(...merchantAccountIssues(object));
    if (object.id === EmvId.languageTemplate) issues.push(...languageTemplateIssues(object));
  }
  return issues;
}

function merchantAccountIssues(template: TlvObject): ConformanceIssue[] {
  const children = template.children ?? [];
  return findObject(children, EmvSubId.globallyUniqueIdentifier)
    ? []
    : [{ rule: 'missing', id: `${template.id}.${EmvSubId.globallyUniqueIdentifier}` }];
}

function languageTemplateIssues(template: TlvObject): ConformanceIssue[] {
  const children = template.children ?? [];
  const issues: ConformanceIssue[] = [];
  const language = findObject(children, EmvSubId.languagePreference);
  if (!language) issues.push({ rule: 'missing', id: `${template.id}.${EmvSubId.languagePreference}` });
  else if (!/^[A-Za-z]{2}$/.test(language.value)) {
    issues.push({ rule: 'format', id: `${template.id}.${EmvSubId.languagePreference}`, expected: 'an ISO 639-1 code' });
  }
  if (!findObject(children, EmvSubId.alternateMerchantName)) {
    issues.push({ rule: 'missing', id: `${template.id}.${EmvSubId.alternateMerchantName}` });
  }
  return issues;
}

/** "missing 52", "format 54": the short form the public vector file uses. */
export function describeIssue(issue: ConformanceIssue): string {
  return `${issue.rule} ${issue.id}`;
}
