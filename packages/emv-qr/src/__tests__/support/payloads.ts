/** Small builders for hand-made payloads in tests. */
import { crcHex, type HarbourPayloadInput, type PaymentLinkPayloadInput, type ShopPayloadInput } from '../..';

/** `body` (everything before the CRC) with a correct CRC appended. */
export function withCrc(body: string): string {
  const covered = `${body}6304`;
  return `${covered}${crcHex(covered)}`;
}

/** The payload without its last data object, the CRC (8 characters: "6304" + 4 hex digits). */
export function bodyOf(payload: string): string {
  return payload.slice(0, -8);
}

/** A plain request most tests start from. */
export const SAMPLE_INPUT: HarbourPayloadInput = {
  paymentRequestId: 'prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P',
  amountMinor: 12345n,
  currency: 'HKD',
  merchantName: 'Harbour Coffee',
  merchantCity: 'Hong Kong',
  merchantCategoryCode: '5814',
  reference: 'INV-0001',
};

/** The same business's shop QR. */
export const SAMPLE_SHOP_INPUT: ShopPayloadInput = {
  businessId: 'biz_01J9ZK3Q4W5E6R7T8Y9U0I1O2P',
  currency: 'HKD',
  merchantName: 'Harbour Coffee',
  merchantCity: 'Hong Kong',
  merchantCategoryCode: '5814',
};

/** One of its payment links, with a fixed amount of 50.00. */
export const SAMPLE_LINK_INPUT: PaymentLinkPayloadInput = {
  paymentLinkId: 'lnk_01J9ZK3Q4W5E6R7T8Y9U0I1O2P',
  amountMinor: 5000n,
  currency: 'HKD',
  merchantName: 'Harbour Coffee',
  merchantCity: 'Hong Kong',
  merchantCategoryCode: '5814',
};

/** The same link letting the payer choose the amount. */
export const SAMPLE_OPEN_LINK_INPUT: PaymentLinkPayloadInput = { ...SAMPLE_LINK_INPUT, amountMinor: null };
