import {
  HARBOUR_GUID,
  HarbourPayloadInputError,
  conformanceIssues,
  decodeEmvPayload,
  encodeHarbourPayload,
  parseHarbourPayload,
  type HarbourPayloadInput,
} from '../..';
import { SAMPLE_INPUT, bodyOf, withCrc } from './support/payloads';

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

describe('parseHarbourPayload', () => {
  it('reads back what the encoder wrote', () => {
    const parsed = parseHarbourPayload(SAMPLE_PAYLOAD);
    expect(parsed.ok && parsed.fields).toEqual({
      paymentRequestId: 'prq_01J9ZK3Q4W5E6R7T8Y9U0I1O2P',
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

  it('says why a payload is not ours', () => {
    expect(parseHarbourPayload('hello')).toMatchObject({ ok: false, reason: 'bad-header' });
    expect(parseHarbourPayload(SAMPLE_PAYLOAD.slice(0, -1) + 'C')).toMatchObject({ ok: false, reason: 'bad-crc' });
    const fps = withCrc('000201010211' + '26210012hk.com.hkicl0101X' + '520400005303344' + '5802HK5902NA6002HK');
    expect(parseHarbourPayload(fps)).toMatchObject({ ok: false, reason: 'not-harbour' });
    const noId = withCrc(bodyOf(SAMPLE_PAYLOAD).replace(/3070.{70}/, `3036${'0032'}${HARBOUR_GUID}`));
    expect(parseHarbourPayload(noId)).toMatchObject({ ok: false, reason: 'bad-harbour-template' });
  });
});
