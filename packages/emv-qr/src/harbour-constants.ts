/**
 * Harbour's identity in a payload (its GUID and template), what each kind of
 * Harbour payload points at (a sub-ID per kind, with its rules for ID 01 and
 * ID 54), and the input limits the encoder enforces.
 */
import { INITIATION_DYNAMIC, INITIATION_STATIC } from './ids';

/**
 * What makes a payload Harbour's own.
 *
 * EMVCo lets a scheme identify itself inside a merchant account information
 * template (IDs 26–51) by a globally unique identifier in sub-ID 00: an AID, a
 * reverse domain name, or a UUID without hyphens. Harbour uses a UUID because
 * it owns no registered AID and a reverse domain would claim a name it does
 * not control: f18ef4c0-790a-4f57-bca6-691b414e2dd8, generated once for this
 * purpose. It must never change — every printed Harbour code carries it.
 */
export const HARBOUR_GUID = 'F18EF4C0790A4F57BCA6691B414E2DD8';

/**
 * The template ID Harbour writes. Any of 26–51 is accepted when reading. 26 is
 * left free because it is where Hong Kong's FPS puts its identifier, so a
 * future code could carry both schemes.
 */
export const HARBOUR_TEMPLATE_ID = '30';

/*
 * Sub-IDs of the Harbour template naming what the payload points at. A
 * payload carries exactly one of them; which one fixes ID 01 and ID 54
 * (HARBOUR_TARGET_RULES).
 */
/** A payment request's id: the dynamic payload of one payment. */
export const HARBOUR_REQUEST_ID_SUB_ID = '01';
/** A business's id: the shop QR, static, the customer types the amount. */
export const HARBOUR_BUSINESS_ID_SUB_ID = '02';
/** A payment link's id: static, with an amount only when the link fixes one. */
export const HARBOUR_PAYMENT_LINK_ID_SUB_ID = '03';

/** What a Harbour payload points at. */
export type HarbourTarget =
  | { readonly kind: 'paymentRequest'; readonly id: string }
  | { readonly kind: 'business'; readonly id: string }
  | { readonly kind: 'paymentLink'; readonly id: string };

export type HarbourTargetKind = HarbourTarget['kind'];

/** Whether ID 54 must, must not or may appear for a target. */
export type HarbourAmountRule = 'required' | 'forbidden' | 'optional';

export interface HarbourTargetRule {
  readonly subId: string;
  /** ID 01: a payment request is paid once (dynamic); a shop or link code is reused (static). */
  readonly initiationMethod: typeof INITIATION_DYNAMIC | typeof INITIATION_STATIC;
  /**
   * A static code that claimed an amount the store does not fix would let a
   * wallet show one price while the payer is asked another; a dynamic one
   * without an amount is not a payment request at all.
   */
  readonly amount: HarbourAmountRule;
  /** How messages name the target. */
  readonly noun: string;
}

/** The one table the encoder writes by and the reader checks by. */
export const HARBOUR_TARGET_RULES: { readonly [K in HarbourTargetKind]: HarbourTargetRule } = {
  paymentRequest: { subId: HARBOUR_REQUEST_ID_SUB_ID, initiationMethod: INITIATION_DYNAMIC, amount: 'required', noun: 'payment request' },
  business: { subId: HARBOUR_BUSINESS_ID_SUB_ID, initiationMethod: INITIATION_STATIC, amount: 'forbidden', noun: 'business' },
  paymentLink: { subId: HARBOUR_PAYMENT_LINK_ID_SUB_ID, initiationMethod: INITIATION_STATIC, amount: 'optional', noun: 'payment link' },
};

/**
 * Payment request, business and payment link ids are opaque tokens (e.g.
 * "prq_" + a ULID). Restricting them to this alphabet keeps them in the QR
 * alphabet every reader handles and out of reach of anything that could be
 * mistaken for structure.
 */
export const HARBOUR_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * The template's value is at most 99: "00" + "32" + GUID, then the target's
 * sub-ID + length + id. The same limit holds for all three kinds of id.
 */
export const MAX_HARBOUR_ID_LENGTH = 99 - (4 + HARBOUR_GUID.length) - 4;
/** The limit as first published, for payment requests; the same number. */
export const MAX_PAYMENT_REQUEST_ID_LENGTH = MAX_HARBOUR_ID_LENGTH;

/** Contract input limits (they fit EMVCo's 25/15 for 59/60 and 25 for 62/05). */
export const MAX_MERCHANT_NAME_LENGTH = 25;
export const MAX_MERCHANT_CITY_LENGTH = 15;
export const MAX_REFERENCE_LENGTH = 25;

/** Written in 59/60 when nothing printable is left of the name or city. */
export const NOT_AVAILABLE = 'NA';

/** Language of the ID 64 template when the name or city is not plain ASCII. */
export const ALTERNATE_LANGUAGE = 'ZH';

/** Merchant category code when the business has none. */
export const NO_MERCHANT_CATEGORY = '0000';
