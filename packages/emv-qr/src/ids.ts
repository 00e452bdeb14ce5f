/**
 * The EMVCo MPM data object IDs this package names. IDs are two-digit strings
 * because that is how they appear on the wire ("05" and "5" are not the same).
 */
export const EmvId = {
  payloadFormatIndicator: '00',
  pointOfInitiationMethod: '01',
  merchantCategoryCode: '52',
  transactionCurrency: '53',
  transactionAmount: '54',
  tipOrConvenienceIndicator: '55',
  countryCode: '58',
  merchantName: '59',
  merchantCity: '60',
  postalCode: '61',
  additionalData: '62',
  crc: '63',
  languageTemplate: '64',
} as const;

/** Sub-IDs inside the templates this package reads or writes. */
export const EmvSubId = {
  /** In 26–51 and 80–99: the globally unique identifier of the scheme. */
  globallyUniqueIdentifier: '00',
  /** In 62. */
  referenceLabel: '05',
  /** In 64. */
  languagePreference: '00',
  alternateMerchantName: '01',
  alternateMerchantCity: '02',
} as const;

/** "00" must come first with this value; anything else is not an MPM payload. */
export const PAYLOAD_FORMAT_INDICATOR = '01';

/** Point of initiation: 11 static (reusable), 12 dynamic (one transaction). */
export const INITIATION_STATIC = '11';
export const INITIATION_DYNAMIC = '12';

/** The EMVCo limit on a whole payload. */
export const MAX_PAYLOAD_LENGTH = 512;

function inRange(id: string, low: number, high: number): boolean {
  if (!/^\d\d$/.test(id)) return false;
  const n = Number(id);
  return n >= low && n <= high;
}

/** 02–51: merchant account information (02–25 primitive card schemes, 26–51 templates). */
export function isMerchantAccountId(id: string): boolean {
  return inRange(id, 2, 51);
}

/** 26–51: merchant account information templates (GUID in sub-ID 00). */
export function isMerchantAccountTemplateId(id: string): boolean {
  return inRange(id, 26, 51);
}

/**
 * IDs whose value is itself a list of data objects. 80–99 ("unreserved
 * templates") are templates by the specification as well, so they are held to
 * the same structure as 26–51, 62 and 64.
 */
export function isTemplateId(id: string): boolean {
  return inRange(id, 26, 51) || id === EmvId.additionalData || id === EmvId.languageTemplate || inRange(id, 80, 99);
}
