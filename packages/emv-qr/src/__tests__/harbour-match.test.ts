import {
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  harbourPayloadMatches,
  paymentLinkPayloadMatches,
  shopPayloadMatches,
  type HarbourMatch,
} from '../..';
import { SAMPLE_INPUT, SAMPLE_LINK_INPUT, SAMPLE_OPEN_LINK_INPUT, SAMPLE_SHOP_INPUT, bodyOf, withCrc } from './support/payloads';

const PAYLOAD = encodeHarbourPayload(SAMPLE_INPUT);

/** Replaces `from` with `to` in the payload body and recomputes the CRC, as a forger would. */
function forge(from: string | RegExp, to: string, payload = PAYLOAD): string {
  const body = bodyOf(payload);
  const forged = body.replace(from, to);
  if (forged === body) throw new Error(`"${String(from)}" is not in the payload`);
  return withCrc(forged);
}

function mismatchesOf(result: HarbourMatch) {
  if (result.matches || result.problem !== 'fields') throw new Error(`expected field mismatches, got ${JSON.stringify(result)}`);
  return result.mismatches;
}

describe('harbourPayloadMatches', () => {
  it('accepts the payload written for the request', () => {
    expect(harbourPayloadMatches(PAYLOAD, SAMPLE_INPUT)).toEqual({ matches: true });
    const chinese = { ...SAMPLE_INPUT, merchantName: '陳記茶餐廳', merchantCity: '香港' };
    expect(harbourPayloadMatches(encodeHarbourPayload(chinese), chinese)).toEqual({ matches: true });
  });

  it('reports a changed amount even when the CRC was recomputed', () => {
    const forged = forge('5406123.45', '5406923.45');
    expect(mismatchesOf(harbourPayloadMatches(forged, SAMPLE_INPUT))).toEqual([
      { field: 'amount', expected: '123.45', actual: '923.45' },
    ]);
    // Same money, other spelling: still not what Harbour wrote.
    expect(mismatchesOf(harbourPayloadMatches(forge('5406123.45', '5407123.450'), SAMPLE_INPUT))).toEqual([
      { field: 'amount', expected: '123.45', actual: '123.450' },
    ]);
  });

  it('reports an amount written differently from Harbour\'s two decimals', () => {
    const payload = encodeHarbourPayload({ ...SAMPLE_INPUT, amountMinor: 12350n });
    expect(mismatchesOf(harbourPayloadMatches(forge('5406123.50', '5405123.5', payload), { ...SAMPLE_INPUT, amountMinor: 12350n }))).toEqual([
      { field: 'amount', expected: '123.50', actual: '123.5' },
    ]);
  });

  it('reports the payload written for another amount, request or merchant', () => {
    expect(mismatchesOf(harbourPayloadMatches(encodeHarbourPayload({ ...SAMPLE_INPUT, amountMinor: 1n }), SAMPLE_INPUT))).toEqual([
      { field: 'amount', expected: '123.45', actual: '0.01' },
    ]);
    const other = encodeHarbourPayload({ ...SAMPLE_INPUT, paymentRequestId: 'prq_other', merchantName: 'Harbour Tea', reference: null });
    expect(mismatchesOf(harbourPayloadMatches(other, SAMPLE_INPUT)).map((m) => m.field)).toEqual([
      'targetId',
      'merchantName',
      'reference',
    ]);
  });

  it('reports each field a forger can change', () => {
    const cases: Array<[string | RegExp, string, string]> = [
      ['0130prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P', '0130prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2Q', 'targetId'],
      ['52045814', '52045999', 'merchantCategoryCode'],
      ['5303344', '5303840', 'currency'],
      ['5802HK', '5802US', 'countryCode'],
      ['5914Harbour Coffee', '5914Harbour C0ffee', 'merchantName'],
      ['6009Hong Kong', '6007Kowloon', 'merchantCity'],
      ['62120508INV-0001', '62120508INV-0002', 'reference'],
      ['62120508INV-0001', '', 'reference'],
    ];
    for (const [from, to, field] of cases) {
      expect(mismatchesOf(harbourPayloadMatches(forge(from, to), SAMPLE_INPUT)).map((m) => m.field)).toEqual([field]);
    }
  });

  it('reports changes to the language template', () => {
    const input = { ...SAMPLE_INPUT, merchantName: '陳記茶餐廳' };
    const payload = encodeHarbourPayload(input);
    expect(mismatchesOf(harbourPayloadMatches(forge('0002ZH', '0002EN', payload), input)).map((m) => m.field)).toEqual(['alternateLanguage']);
    expect(mismatchesOf(harbourPayloadMatches(forge('0105陳記茶餐廳', '0105陳記茶樓廳', payload), input))).toEqual([
      { field: 'alternateMerchantName', expected: '陳記茶餐廳', actual: '陳記茶樓廳' },
    ]);
    expect(mismatchesOf(harbourPayloadMatches(forge(/64\d\d.*$/u, '', payload), input)).map((m) => m.field)).toEqual([
      'alternateLanguage',
      'alternateMerchantName',
      'alternateMerchantCity',
    ]);
  });

  it('reports a payload whose fields agree but whose text is not what Harbour writes', () => {
    const layouts = [
      forge('5802HK', '5802HK550201'), // a tip prompt added
      withCrc(bodyOf(PAYLOAD).replace('5802HK', '').replace('6009Hong Kong', '6009Hong Kong5802HK')), // reordered
      forge('3070', '2670'), // the template moved to 26
      forge(/F18EF4C0790A4F57BCA6691B414E2DD8/, 'f18ef4c0790a4f57bca6691b414e2dd8'), // GUID in lowercase
      PAYLOAD.slice(0, -4) + PAYLOAD.slice(-4).toLowerCase(), // CRC in lowercase
    ];
    for (const payload of layouts) {
      expect(payload).not.toBe(PAYLOAD);
      expect(harbourPayloadMatches(payload, SAMPLE_INPUT)).toEqual({ matches: false, problem: 'layout', expected: PAYLOAD, actual: payload });
    }
  });

  it('reports a request payload turned static, or stripped of its amount, as unreadable', () => {
    expect(harbourPayloadMatches(forge('010212', '010211'), SAMPLE_INPUT)).toMatchObject({
      matches: false,
      problem: 'unreadable',
      reason: 'initiation-mismatch',
    });
    expect(harbourPayloadMatches(forge('5406123.45', ''), SAMPLE_INPUT)).toMatchObject({ problem: 'unreadable', reason: 'amount-mismatch' });
  });

  it('reports a shop or link payload checked against a request', () => {
    const shop = encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: SAMPLE_INPUT.paymentRequestId });
    expect(mismatchesOf(harbourPayloadMatches(shop, SAMPLE_INPUT)).map((m) => m.field)).toEqual([
      'initiationMethod',
      'targetKind',
      'amount',
      'reference',
    ]);
  });

  it('reports a payload that is not a readable Harbour payload', () => {
    expect(harbourPayloadMatches(PAYLOAD.replace('123.45', '923.45'), SAMPLE_INPUT)).toMatchObject({
      matches: false,
      problem: 'unreadable',
      reason: 'bad-crc',
    });
    expect(harbourPayloadMatches('https://harbour.example/pay', SAMPLE_INPUT)).toMatchObject({ problem: 'unreadable', reason: 'bad-header' });
    const fps = withCrc('000201010211' + '26210012hk.com.hkicl0101X' + '520400005303344' + '5802HK5902NA6002HK');
    expect(harbourPayloadMatches(fps, SAMPLE_INPUT)).toMatchObject({ problem: 'unreadable', reason: 'not-harbour' });
  });
});

describe('shopPayloadMatches', () => {
  const SHOP = encodeShopPayload(SAMPLE_SHOP_INPUT);

  it('accepts the shop QR written for the business', () => {
    expect(shopPayloadMatches(SHOP, SAMPLE_SHOP_INPUT)).toEqual({ matches: true });
    const chinese = { ...SAMPLE_SHOP_INPUT, merchantName: '陳記茶餐廳', merchantCity: '香港' };
    expect(shopPayloadMatches(encodeShopPayload(chinese), chinese)).toEqual({ matches: true });
  });

  it('reports a changed business id, name or city even when the CRC was recomputed', () => {
    expect(mismatchesOf(shopPayloadMatches(forge('0230biz_01J9', '0230biz_01J8', SHOP), SAMPLE_SHOP_INPUT))).toEqual([
      { field: 'targetId', expected: SAMPLE_SHOP_INPUT.businessId, actual: 'biz_01J8ZK3Q4W5E6R7T8Y9U0I1O2P' },
    ]);
    expect(mismatchesOf(shopPayloadMatches(forge('5914Harbour Coffee', '5912Harbour Teas', SHOP), SAMPLE_SHOP_INPUT))).toEqual([
      { field: 'merchantName', expected: 'Harbour Coffee', actual: 'Harbour Teas' },
    ]);
    expect(mismatchesOf(shopPayloadMatches(forge('6009Hong Kong', '6007Kowloon', SHOP), SAMPLE_SHOP_INPUT)).map((m) => m.field)).toEqual([
      'merchantCity',
    ]);
  });

  it('reports the shop QR of a business renamed since it was printed', () => {
    const now = { ...SAMPLE_SHOP_INPUT, merchantName: 'Harbour Roasters' };
    expect(mismatchesOf(shopPayloadMatches(SHOP, now))).toEqual([
      { field: 'merchantName', expected: 'Harbour Roasters', actual: 'Harbour Coffee' },
    ]);
  });

  it('calls a shop payload with an amount added unreadable, not a field mismatch', () => {
    expect(shopPayloadMatches(forge('5802HK', '540550.005802HK', SHOP), SAMPLE_SHOP_INPUT)).toMatchObject({
      matches: false,
      problem: 'unreadable',
      reason: 'amount-mismatch',
    });
  });

  it('reports a link or request payload for the same id', () => {
    const link = encodePaymentLinkPayload({ ...SAMPLE_OPEN_LINK_INPUT, paymentLinkId: SAMPLE_SHOP_INPUT.businessId });
    expect(mismatchesOf(shopPayloadMatches(link, SAMPLE_SHOP_INPUT))).toEqual([
      { field: 'targetKind', expected: 'business', actual: 'paymentLink' },
    ]);
    const request = encodeHarbourPayload({ ...SAMPLE_INPUT, paymentRequestId: SAMPLE_SHOP_INPUT.businessId, reference: null });
    expect(mismatchesOf(shopPayloadMatches(request, SAMPLE_SHOP_INPUT)).map((m) => m.field)).toEqual([
      'initiationMethod',
      'targetKind',
      'amount',
    ]);
  });

  it('reports a payload whose fields agree but whose text is not what Harbour writes', () => {
    for (const payload of [forge('5802HK', '5802HK550201', SHOP), forge('3070', '2670', SHOP), SHOP.slice(0, -4) + SHOP.slice(-4).toLowerCase()]) {
      expect(payload).not.toBe(SHOP);
      expect(shopPayloadMatches(payload, SAMPLE_SHOP_INPUT)).toEqual({ matches: false, problem: 'layout', expected: SHOP, actual: payload });
    }
  });
});

describe('paymentLinkPayloadMatches', () => {
  const FIXED = encodePaymentLinkPayload(SAMPLE_LINK_INPUT);
  const OPEN = encodePaymentLinkPayload(SAMPLE_OPEN_LINK_INPUT);

  it('accepts the payload written for the link, with a fixed amount or without one', () => {
    expect(paymentLinkPayloadMatches(FIXED, SAMPLE_LINK_INPUT)).toEqual({ matches: true });
    expect(paymentLinkPayloadMatches(OPEN, SAMPLE_OPEN_LINK_INPUT)).toEqual({ matches: true });
  });

  it('reports a changed amount or link id even when the CRC was recomputed', () => {
    expect(mismatchesOf(paymentLinkPayloadMatches(forge('540550.00', '54045.00', FIXED), SAMPLE_LINK_INPUT))).toEqual([
      { field: 'amount', expected: '50.00', actual: '5.00' },
    ]);
    expect(mismatchesOf(paymentLinkPayloadMatches(forge('0330lnk_01J9', '0330lnk_01J8', OPEN), SAMPLE_OPEN_LINK_INPUT)).map((m) => m.field)).toEqual([
      'targetId',
    ]);
  });

  it('reports an amount where the payer chooses, and none where the link fixes it', () => {
    expect(mismatchesOf(paymentLinkPayloadMatches(forge('5802HK', '54041.005802HK', OPEN), SAMPLE_OPEN_LINK_INPUT))).toEqual([
      { field: 'amount', expected: undefined, actual: '1.00' },
    ]);
    expect(mismatchesOf(paymentLinkPayloadMatches(OPEN, SAMPLE_LINK_INPUT))).toEqual([
      { field: 'amount', expected: '50.00', actual: undefined },
    ]);
    expect(mismatchesOf(paymentLinkPayloadMatches(FIXED, SAMPLE_OPEN_LINK_INPUT))).toEqual([
      { field: 'amount', expected: undefined, actual: '50.00' },
    ]);
  });

  it('reports a shop payload for the same id, and a link payload turned dynamic as unreadable', () => {
    const shop = encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: SAMPLE_OPEN_LINK_INPUT.paymentLinkId });
    expect(mismatchesOf(paymentLinkPayloadMatches(shop, SAMPLE_OPEN_LINK_INPUT))).toEqual([
      { field: 'targetKind', expected: 'paymentLink', actual: 'business' },
    ]);
    expect(paymentLinkPayloadMatches(forge('010211', '010212', FIXED), SAMPLE_LINK_INPUT)).toMatchObject({
      problem: 'unreadable',
      reason: 'initiation-mismatch',
    });
  });
});
