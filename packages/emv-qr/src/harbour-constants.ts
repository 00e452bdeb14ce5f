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

/** Sub-ID of the Harbour template holding the payment request's id. */
export const HARBOUR_REQUEST_ID_SUB_ID = '01';

/**
 * Payment request ids are opaque tokens (e.g. "prq_" + a ULID). Restricting
 * them to this alphabet keeps them in the QR alphabet every reader handles and
 * out of reach of anything that could be mistaken for structure.
 */
export const PAYMENT_REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The template's value is at most 99: "00" + "32" + GUID, then "01" + length + id. */
export const MAX_PAYMENT_REQUEST_ID_LENGTH = 99 - (4 + HARBOUR_GUID.length) - 4;

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
