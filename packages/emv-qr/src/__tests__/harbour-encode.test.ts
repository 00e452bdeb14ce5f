import {
  HARBOUR_BUSINESS_ID_SUB_ID,
  HARBOUR_GUID,
  HARBOUR_PAYMENT_LINK_ID_SUB_ID,
  HARBOUR_REQUEST_ID_SUB_ID,
  HarbourPayloadInputError,
  conformanceIssues,
  decodeEmvPayload,
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  parseHarbourPayload,
  type HarbourPayloadInput,
  type PaymentLinkPayloadInput,
  type ShopPayloadInput,
} from '../..';
import { SAMPLE_INPUT, SAMPLE_LINK_INPUT, SAMPLE_OPEN_LINK_INPUT, SAMPLE_SHOP_INPUT, bodyOf, withCrc } from './support/payloads';

/** Golden payloads; their CRCs were checked with an independent implementation. */
const SAMPLE_PAYLOAD =
  '000201' +
  '010212' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0130prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52045814' +
  '5303344' +
  '5406123.45' +
  '5802HK' +
  '5914Harbour Coffee' +
  '6009Hong Kong' +
  '62120508INV-0001' +
  '6304F65B';

const CHINESE_PAYLOAD =
  '000201' +
  '010212' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0130prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52040000' +
  '5303344' +
  '5406123.45' +
  '5802HK' +
  '5902NA' +
  '6009Hong Kong' +
  '64280002ZH0105陳記茶餐廳0209Hong Kong' +
  '63043A15';

/** The shop QR: 01 = 11, the business id in sub-ID 02, no 54, no 62. */
const SHOP_PAYLOAD =
  '000201' +
  '010211' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0230biz_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52045814' +
  '5303344' +
  '5802HK' +
  '5914Harbour Coffee' +
  '6009Hong Kong' +
  '63047C67';

/** A link with a fixed amount: 01 = 11, the link id in sub-ID 03, 54 = 50.00. */
const FIXED_LINK_PAYLOAD =
  '000201' +
  '010211' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0330lnk_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52045814' +
  '5303344' +
  '540550.00' +
  '5802HK' +
  '5914Harbour Coffee' +
  '6009Hong Kong' +
  '6304D5E0';

/** The same link when the payer chooses the amount: no 54. */
const OPEN_LINK_PAYLOAD =
  '000201' +
  '010211' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0330lnk_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52045814' +
  '5303344' +
  '5802HK' +
  '5914Harbour Coffee' +
  '6009Hong Kong' +
  '630426D1';

const CHINESE_SHOP_PAYLOAD =
  '000201' +
  '010211' +
  '3070' + '0032F18EF4C0790A4F57BCA6691B414E2DD8' + '0230biz_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' +
  '52040000' +
  '5303344' +
  '5802HK' +
  '5902NA' +
  '6002NA' +
  '64210002ZH0105陳記茶餐廳0202香港' +
  '6304B15C';

function encodeWith(changes: Partial<HarbourPayloadInput>): string {
  return encodeHarbourPayload({ ...SAMPLE_INPUT, ...changes });
}

function objectsOf(payload: string) {
  const decoded = decodeEmvPayload(payload);
  if (!decoded.ok) throw new Error(decoded.failure.message);
  return decoded.payload.objects;
}

describe('encodeHarbourPayload', () => {
  it('lays the payload out exactly as the contract says', () => {
    expect(encodeHarbourPayload(SAMPLE_INPUT)).toBe(SAMPLE_PAYLOAD);
    expect(HARBOUR_GUID).toBe('F18EF4C0790A4F57BCA6691B414E2DD8');
  });

  it('writes a Chinese name as "NA" in 59 and in full, with the city, in a ZH language template', () => {
    expect(encodeWith({ merchantName: '陳記茶餐廳', merchantCategoryCode: undefined, reference: undefined })).toBe(CHINESE_PAYLOAD);
  });

  it('keeps the ASCII part of a mixed name and drops the gaps the other characters leave', () => {
    const fields = parseHarbourPayload(encodeWith({ merchantName: 'Café 陳記 Bar', merchantCity: '香港 Central' }));
    expect(fields.ok && fields.fields).toMatchObject({
      merchantName: 'Caf Bar',
      merchantCity: 'Central',
      alternateLanguage: { language: 'ZH', merchantName: 'Café 陳記 Bar', merchantCity: '香港 Central' },
    });
  });

  it('leaves the language template out when name and city are plain ASCII', () => {
    expect(objectsOf(encodeHarbourPayload(SAMPLE_INPUT)).map((o) => o.id)).toEqual([
      '00', '01', '30', '52', '53', '54', '58', '59', '60', '62', '63',
    ]);
  });

  it('writes "NA" for a city with nothing printable, and carries it in 64', () => {
    const fields = parseHarbourPayload(encodeWith({ merchantCity: '九龍' }));
    expect(fields.ok && fields.fields.merchantCity).toBe('NA');
    expect(fields.ok && fields.fields.alternateLanguage?.merchantCity).toBe('九龍');
  });

  it('writes MCC 0000 when there is none', () => {
    for (const merchantCategoryCode of [undefined, null, '']) {
      expect(encodeWith({ merchantCategoryCode })).toContain('52040000');
    }
  });

  it('writes amounts with two decimals from minor units', () => {
    const cases: Array<[bigint, string]> = [
      [1n, '0.01'],
      [10n, '0.10'],
      [100n, '1.00'],
      [123456n, '1234.56'],
      [5_000_000n, '50000.00'],
      [999_999_999_99n, '999999999.99'],
    ];
    for (const [amountMinor, text] of cases) {
      const payload = encodeWith({ amountMinor });
      expect(payload).toContain(`54${String(text.length).padStart(2, '0')}${text}5802HK`);
    }
  });

  it('puts the reference in 62/05, in printable ASCII, and leaves 62 out when there is none', () => {
    expect(encodeWith({ reference: 'A/B #1' })).toContain('62100506A/B #1');
    for (const reference of [undefined, null, '', '   ', '發票']) {
      expect(objectsOf(encodeWith({ reference })).some((o) => o.id === '62')).toBe(false);
    }
    expect(encodeWith({ reference: '發票 INV-9' })).toContain('0505INV-9');
  });

  it('produces payloads that break no EMVCo rule', () => {
    for (const payload of [SAMPLE_PAYLOAD, CHINESE_PAYLOAD]) {
      const decoded = decodeEmvPayload(payload);
      expect(decoded.ok && conformanceIssues(decoded.payload)).toEqual([]);
    }
  });

  it('fits the largest input well inside the 512-character limit', () => {
    const payload = encodeHarbourPayload({
      paymentRequestId: 'p'.repeat(59),
      amountMinor: 999_999_999_99n,
      currency: 'HKD',
      merchantName: '陳'.repeat(25),
      merchantCity: '港'.repeat(15),
      merchantCategoryCode: '9999',
      reference: 'R'.repeat(25),
    });
    expect(decodeEmvPayload(payload).ok).toBe(true);
    expect(Array.from(payload).length).toBeLessThan(300);
  });

  describe('refuses input it cannot carry', () => {
    it.each<[string, Partial<HarbourPayloadInput>, string]>([
      ['an empty request id', { paymentRequestId: '' }, 'paymentRequestId'],
      ['a request id with a space', { paymentRequestId: 'prq 1' }, 'paymentRequestId'],
      ['a request id that would not fit the template', { paymentRequestId: 'p'.repeat(60) }, 'paymentRequestId'],
      ['a zero amount', { amountMinor: 0n }, 'amountMinor'],
      ['a negative amount', { amountMinor: -100n }, 'amountMinor'],
      ['an amount over 13 characters', { amountMinor: 10n ** 13n }, 'amountMinor'],
      ['a number instead of a bigint', { amountMinor: 100 as unknown as bigint }, 'amountMinor'],
      ['another currency', { currency: 'USD' as 'HKD' }, 'currency'],
      ['an empty name', { merchantName: '' }, 'merchantName'],
      ['a blank name', { merchantName: '   ' }, 'merchantName'],
      ['a 26-character name', { merchantName: 'x'.repeat(26) }, 'merchantName'],
      ['a 26-character Chinese name', { merchantName: '陳'.repeat(26) }, 'merchantName'],
      ['a name with a newline', { merchantName: 'Harbour\nCoffee' }, 'merchantName'],
      ['a name with an unpaired surrogate', { merchantName: 'Harbour \ud800' }, 'merchantName'],
      ['a 16-character city', { merchantCity: 'x'.repeat(16) }, 'merchantCity'],
      ['a three-digit MCC', { merchantCategoryCode: '581' }, 'merchantCategoryCode'],
      ['a 26-character reference', { reference: 'r'.repeat(26) }, 'reference'],
      ['a reference with a tab', { reference: 'INV\t1' }, 'reference'],
    ])('%s', (_what, changes, field) => {
      expect(() => encodeWith(changes)).toThrow(HarbourPayloadInputError);
      expect(() => encodeWith(changes)).toThrow(expect.objectContaining({ field }));
    });

    it('accepts the limits themselves (25-character names, 15-character cities, astral characters)', () => {
      expect(() => encodeWith({ merchantName: '𠀋'.repeat(25), merchantCity: '😀'.repeat(15), reference: 'r'.repeat(25) })).not.toThrow();
    });
  });
});

describe('encodeShopPayload and encodePaymentLinkPayload', () => {
  it('write the static layouts exactly as the contract says', () => {
    expect(encodeShopPayload(SAMPLE_SHOP_INPUT)).toBe(SHOP_PAYLOAD);
    expect(encodePaymentLinkPayload(SAMPLE_LINK_INPUT)).toBe(FIXED_LINK_PAYLOAD);
    expect(encodePaymentLinkPayload(SAMPLE_OPEN_LINK_INPUT)).toBe(OPEN_LINK_PAYLOAD);
    expect(encodeShopPayload({ ...SAMPLE_SHOP_INPUT, merchantName: '陳記茶餐廳', merchantCity: '香港', merchantCategoryCode: null })).toBe(
      CHINESE_SHOP_PAYLOAD,
    );
  });

  it('put one target sub-ID per kind under the same GUID, dynamic only for a payment request', () => {
    const kinds: Array<[string, string, string]> = [
      [encodeHarbourPayload(SAMPLE_INPUT), '12', HARBOUR_REQUEST_ID_SUB_ID],
      [encodeShopPayload(SAMPLE_SHOP_INPUT), '11', HARBOUR_BUSINESS_ID_SUB_ID],
      [encodePaymentLinkPayload(SAMPLE_LINK_INPUT), '11', HARBOUR_PAYMENT_LINK_ID_SUB_ID],
    ];
    expect([HARBOUR_REQUEST_ID_SUB_ID, HARBOUR_BUSINESS_ID_SUB_ID, HARBOUR_PAYMENT_LINK_ID_SUB_ID]).toEqual(['01', '02', '03']);
    for (const [payload, initiation, subId] of kinds) {
      const objects = objectsOf(payload);
      expect(objects.find((o) => o.id === '01')?.value).toBe(initiation);
      expect(objects.find((o) => o.id === '30')?.children?.map((c) => c.id)).toEqual(['00', subId]);
      expect(objects.find((o) => o.id === '30')?.children?.[0]?.value).toBe(HARBOUR_GUID);
    }
  });

  it('write 54 for a fixed-amount link only, and never 62', () => {
    const ids = (payload: string) => objectsOf(payload).map((o) => o.id);
    expect(ids(SHOP_PAYLOAD)).toEqual(['00', '01', '30', '52', '53', '58', '59', '60', '63']);
    expect(ids(FIXED_LINK_PAYLOAD)).toEqual(['00', '01', '30', '52', '53', '54', '58', '59', '60', '63']);
    expect(ids(OPEN_LINK_PAYLOAD)).toEqual(['00', '01', '30', '52', '53', '58', '59', '60', '63']);
    expect(encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, amountMinor: 1n })).toContain('54040.015802HK');
  });

  it('leave out an amount or reference a caller passes where the kind has none', () => {
    const stray = { ...SAMPLE_SHOP_INPUT, amountMinor: 100n, reference: 'INV-1' } as ShopPayloadInput;
    expect(encodeShopPayload(stray)).toBe(SHOP_PAYLOAD);
    const strayLink = { ...SAMPLE_OPEN_LINK_INPUT, reference: 'INV-1' } as PaymentLinkPayloadInput;
    expect(encodePaymentLinkPayload(strayLink)).toBe(OPEN_LINK_PAYLOAD);
  });

  it('produce payloads that break no EMVCo rule', () => {
    for (const payload of [SHOP_PAYLOAD, FIXED_LINK_PAYLOAD, OPEN_LINK_PAYLOAD, CHINESE_SHOP_PAYLOAD]) {
      const decoded = decodeEmvPayload(payload);
      expect(decoded.ok && conformanceIssues(decoded.payload)).toEqual([]);
    }
  });

  it.each<[string, () => string, string]>([
    ['an empty business id', () => encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: '' }), 'businessId'],
    ['a business id with a slash', () => encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: 'biz/1' }), 'businessId'],
    ['a missing business id', () => encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: undefined as unknown as string }), 'businessId'],
    ['a business id that would not fit the template', () => encodeShopPayload({ ...SAMPLE_SHOP_INPUT, businessId: 'b'.repeat(60) }), 'businessId'],
    ['a blank shop name', () => encodeShopPayload({ ...SAMPLE_SHOP_INPUT, merchantName: ' ' }), 'merchantName'],
    ['a link id with a space', () => encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, paymentLinkId: 'lnk 1' }), 'paymentLinkId'],
    ['a zero link amount', () => encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, amountMinor: 0n }), 'amountMinor'],
    ['a link amount as a number', () => encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, amountMinor: 50 as unknown as bigint }), 'amountMinor'],
    ['a missing link amount (not null)', () => encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, amountMinor: undefined as unknown as null }), 'amountMinor'],
    ['a link amount over 13 characters', () => encodePaymentLinkPayload({ ...SAMPLE_LINK_INPUT, amountMinor: 10n ** 13n }), 'amountMinor'],
    ['a null request amount', () => encodeWith({ amountMinor: null as unknown as bigint }), 'amountMinor'],
  ])('refuse %s', (_what, encode, field) => {
    expect(encode).toThrow(HarbourPayloadInputError);
    expect(encode).toThrow(expect.objectContaining({ field }));
  });
});

describe('parseHarbourPayload', () => {
  it('reads back what the encoder wrote', () => {
    const parsed = parseHarbourPayload(SAMPLE_PAYLOAD);
    expect(parsed.ok && parsed.fields).toEqual({
      target: { kind: 'paymentRequest', id: 'prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P' },
      templateId: '30',
      initiationMethod: '12',
      merchantCategoryCode: '5814',
      currencyNumeric: '344',
      currency: 'HKD',
      amount: '123.45',
      amountMinor: 12345n,
      countryCode: 'HK',
      merchantName: 'Harbour Coffee',
      merchantCity: 'Hong Kong',
      reference: 'INV-0001',
      alternateLanguage: undefined,
    });
  });

  it('reads back a shop and a link payload with their targets', () => {
    const shop = parseHarbourPayload(SHOP_PAYLOAD);
    expect(shop.ok && shop.fields).toMatchObject({
      target: { kind: 'business', id: SAMPLE_SHOP_INPUT.businessId },
      initiationMethod: '11',
      amount: undefined,
      amountMinor: undefined,
      reference: undefined,
    });
    const link = parseHarbourPayload(FIXED_LINK_PAYLOAD);
    expect(link.ok && link.fields).toMatchObject({
      target: { kind: 'paymentLink', id: SAMPLE_LINK_INPUT.paymentLinkId },
      initiationMethod: '11',
      amountMinor: 5000n,
    });
  });

  it('says why a payload is not ours', () => {
    expect(parseHarbourPayload('hello')).toMatchObject({ ok: false, reason: 'bad-header' });
    expect(parseHarbourPayload(SAMPLE_PAYLOAD.slice(0, -1) + 'C')).toMatchObject({ ok: false, reason: 'bad-crc' });
    const fps = withCrc('000201010211' + '26210012hk.com.hkicl0101X' + '520400005303344' + '5802HK5902NA6002HK');
    expect(parseHarbourPayload(fps)).toMatchObject({ ok: false, reason: 'not-harbour' });
    const noId = withCrc(bodyOf(SAMPLE_PAYLOAD).replace(/3070.{70}/, `3036${'0032'}${HARBOUR_GUID}`));
    expect(parseHarbourPayload(noId)).toMatchObject({ ok: false, reason: 'bad-harbour-template' });
    const shopWithAmount = withCrc(bodyOf(SHOP_PAYLOAD).replace('5802HK', '540550.005802HK'));
    expect(parseHarbourPayload(shopWithAmount)).toMatchObject({ ok: false, reason: 'amount-mismatch' });
    const dynamicShop = withCrc(bodyOf(SHOP_PAYLOAD).replace('010211', '010212'));
    expect(parseHarbourPayload(dynamicShop)).toMatchObject({ ok: false, reason: 'initiation-mismatch' });
  });
});
