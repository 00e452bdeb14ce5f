/**
 * Reading Harbour's own payloads: finding the Harbour template, what it points
 * at (a payment request, a business or a payment link), and what the payload
 * claims. The only rules checked here are the ones that need no store: one
 * target, a well-formed id, and ID 01 and ID 54 as the target's kind requires
 * (HARBOUR_TARGET_RULES). Whether the claims are right is for harbour-match.ts
 * to say, against the stored request, business or link.
 */
import { decodeEmvPayload, type DecodeFailureReason, type EmvPayload } from './decode';
import {
  HARBOUR_GUID,
  HARBOUR_ID_PATTERN,
  HARBOUR_TARGET_RULES,
  MAX_HARBOUR_ID_LENGTH,
  type HarbourTarget,
  type HarbourTargetKind,
  type HarbourTargetRule,
} from './harbour-constants';
import { EmvId, EmvSubId, INITIATION_DYNAMIC, isMerchantAccountTemplateId } from './ids';
import { currencyForNumeric, parseMinorUnits, type HarbourCurrency } from './money';
import { findObject, valueAt, type TlvObject } from './tlv';

/** ID 64: the merchant's name and city as written, with their language. */
export interface HarbourAlternateLanguage {
  readonly language: string | undefined;
  readonly merchantName: string | undefined;
  readonly merchantCity: string | undefined;
}

/** What a Harbour payload says, field by field; a field is undefined when its object is absent. */
export interface HarbourFields {
  /** What the payload points at: the template's one target sub-ID (01, 02 or 03) and its id. */
  readonly target: HarbourTarget;
  /** The merchant account template the Harbour GUID was found in (26–51). */
  readonly templateId: string;
  /** ID 01; always the one the target's kind requires (12 for a request, 11 otherwise). */
  readonly initiationMethod: string | undefined;
  readonly merchantCategoryCode: string | undefined;
  /** ID 53 as written (e.g. "344"). */
  readonly currencyNumeric: string | undefined;
  /** ID 53 as a currency Harbour issues, when it is one. */
  readonly currency: HarbourCurrency | undefined;
  /** ID 54 as written; present for a request, absent for a shop, either for a link. */
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

/**
 * Why a payload carrying the Harbour GUID is still not a usable Harbour payload:
 *
 * - `bad-harbour-template`: the GUID in two templates, or a template naming no
 *   target, several, or one with a malformed id;
 * - `initiation-mismatch`: ID 01 is not what the target's kind requires (12,
 *   dynamic, for a payment request; 11, static, for a shop or link);
 * - `amount-mismatch`: a payment request without an amount (ID 54), or a shop
 *   code with one.
 */
export type HarbourTemplateFailureReason = 'bad-harbour-template' | 'initiation-mismatch' | 'amount-mismatch';

/** The outcome of looking for the Harbour template in a decoded payload. */
export type HarbourTemplateLookup =
  | { readonly found: 'none' }
  | { readonly found: 'malformed'; readonly reason: HarbourTemplateFailureReason; readonly message: string }
  | { readonly found: 'harbour'; readonly fields: HarbourFields };

type Malformed = Extract<HarbourTemplateLookup, { found: 'malformed' }>;

const TARGET_KINDS = Object.keys(HARBOUR_TARGET_RULES) as HarbourTargetKind[];

/**
 * Looks for merchant account templates whose GUID is Harbour's (compared
 * case-insensitively, as GUIDs are). A payload claiming to be ours must be
 * unambiguously ours: exactly one such template, naming exactly one target
 * with a well-formed id, with ID 01 and ID 54 as that target requires.
 */
export function findHarbourTemplate(payload: EmvPayload): HarbourTemplateLookup {
  const ours = payload.objects.filter(
    (object) =>
      isMerchantAccountTemplateId(object.id) &&
      valueAt(object.children ?? [], EmvSubId.globallyUniqueIdentifier)?.toUpperCase() === HARBOUR_GUID,
  );
  if (ours.length === 0) return { found: 'none' };
  if (ours.length > 1) {
    return malformed('bad-harbour-template', `the Harbour GUID appears in ${ours.map((o) => o.id).join(' and ')}`);
  }
  const template = ours[0]!;
  const target = readTarget(template);
  if ('found' in target) return target;
  const fields = readFields(payload, template.id, target);
  return initiationProblem(fields) ?? amountProblem(fields) ?? { found: 'harbour', fields };
}

function malformed(reason: HarbourTemplateFailureReason, message: string): Malformed {
  return { found: 'malformed', reason, message };
}

/** The template's one target, or why it has not exactly one usable one. */
function readTarget(template: TlvObject): HarbourTarget | Malformed {
  const children = template.children ?? [];
  const named = TARGET_KINDS.flatMap((kind) => {
    const id = valueAt(children, HARBOUR_TARGET_RULES[kind].subId);
    return id === undefined ? [] : [{ kind, id }];
  });
  const [target, ...others] = named;
  if (!target) {
    const expected = TARGET_KINDS.map((kind) => `${HARBOUR_TARGET_RULES[kind].subId} (${HARBOUR_TARGET_RULES[kind].noun})`);
    const message = `the Harbour template ${template.id} names no target: it needs one of sub-IDs ${expected.join(', ')}`;
    return malformed('bad-harbour-template', message);
  }
  if (others.length > 0) {
    // Two targets would let a wallet show one while the payment goes to the other.
    const all = named.map(({ kind }) => `a ${HARBOUR_TARGET_RULES[kind].noun} (${HARBOUR_TARGET_RULES[kind].subId})`);
    return malformed('bad-harbour-template', `the Harbour template ${template.id} names more than one target: ${all.join(' and ')}`);
  }
  if (!HARBOUR_ID_PATTERN.test(target.id) || target.id.length > MAX_HARBOUR_ID_LENGTH) {
    const { noun } = HARBOUR_TARGET_RULES[target.kind];
    return malformed('bad-harbour-template', `the Harbour template ${template.id} has a malformed ${noun} id`);
  }
  return target;
}

function initiationProblem({ target, initiationMethod }: HarbourFields): Malformed | undefined {
  const rule = HARBOUR_TARGET_RULES[target.kind];
  if (initiationMethod === rule.initiationMethod) return undefined;
  const found = initiationMethod === undefined ? 'no ID 01' : `ID 01 = ${initiationMethod}`;
  const required = `${staticOrDynamic(rule)} (ID 01 = ${rule.initiationMethod})`;
  return malformed('initiation-mismatch', `a ${rule.noun}'s Harbour payload is ${required}, but this one has ${found}`);
}

function amountProblem({ target, amount }: HarbourFields): Malformed | undefined {
  const rule = HARBOUR_TARGET_RULES[target.kind];
  if (rule.amount === 'required' && amount === undefined) {
    return malformed('amount-mismatch', `a ${staticOrDynamic(rule)} Harbour payload for a ${rule.noun} must carry an amount (ID 54)`);
  }
  if (rule.amount === 'forbidden' && amount !== undefined) {
    return malformed('amount-mismatch', `a ${staticOrDynamic(rule)} Harbour payload for a ${rule.noun} must not carry an amount (ID 54)`);
  }
  return undefined;
}

function staticOrDynamic(rule: HarbourTargetRule): string {
  return rule.initiationMethod === INITIATION_DYNAMIC ? 'dynamic' : 'static';
}

function readFields(payload: EmvPayload, templateId: string, target: HarbourTarget): HarbourFields {
  const { objects } = payload;
  const currencyNumeric = valueAt(objects, EmvId.transactionCurrency);
  const amount = valueAt(objects, EmvId.transactionAmount);
  const language = findObject(objects, EmvId.languageTemplate);
  return {
    target,
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
export type HarbourParseFailureReason = DecodeFailureReason | HarbourTemplateFailureReason | 'not-harbour';

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
      return { ok: false, reason: lookup.reason, message: lookup.message };
    case 'harbour':
      return { ok: true, fields: lookup.fields, payload: decoded.payload };
  }
}
