/**
 * Well-known globally unique identifiers of other schemes, so that a
 * QR_NOT_SUPPORTED answer (and the logs) can say which scheme a code belongs
 * to. Purely informative: an unknown GUID is just as much "another scheme".
 */
import { type EmvPayload } from './decode';
import { EmvSubId, isMerchantAccountId, isMerchantAccountTemplateId } from './ids';
import { valueAt } from './tlv';

/** Lowercase GUID → scheme name; GUIDs are compared case-insensitively (Pix codes use both cases). */
const KNOWN_GUIDS: ReadonlyMap<string, string> = new Map([
  ['hk.com.hkicl', 'FPS'],
  ['sg.paynow', 'PayNow'],
  ['a000000677010111', 'PromptPay'],
  ['a000000677010112', 'PromptPay'],
  ['a000000677010113', 'PromptPay'],
  ['br.gov.bcb.pix', 'Pix'],
]);

/** One merchant account the payload offers. */
export interface SchemeHint {
  /** The top-level ID it sits under (02–51). */
  readonly id: string;
  /** Sub-ID 00 of a template (26–51); undefined for the primitive card-scheme IDs 02–25. */
  readonly guid?: string;
  /** A name when the GUID is one we recognise. */
  readonly name?: string;
}

export function schemeHints(payload: EmvPayload): SchemeHint[] {
  return payload.objects
    .filter((object) => isMerchantAccountId(object.id))
    .map((object) => {
      if (!isMerchantAccountTemplateId(object.id)) return { id: object.id };
      const guid = valueAt(object.children ?? [], EmvSubId.globallyUniqueIdentifier);
      const name = guid === undefined ? undefined : KNOWN_GUIDS.get(guid.toLowerCase());
      return { id: object.id, ...(guid === undefined ? {} : { guid }), ...(name === undefined ? {} : { name }) };
    });
}
