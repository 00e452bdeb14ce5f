import {
  HARBOUR_GUID,
  classifyScan,
  describeIssue,
  encodeHarbourPayload,
  encodePaymentLinkPayload,
  encodeShopPayload,
  encodeTlvList,
  type TlvInput,
} from '../..';
import { SAMPLE_INPUT, SAMPLE_LINK_INPUT, SAMPLE_OPEN_LINK_INPUT, SAMPLE_SHOP_INPUT, bodyOf, withCrc } from './support/payloads';

const PAYLOAD = encodeHarbourPayload(SAMPLE_INPUT);

interface Header {
  /** ID 01; null leaves it out. */
  readonly initiation?: string | null;
  /** ID 54; null leaves it out. */
  readonly amount?: string | null;
}

/** A conforming payload around the given merchant account objects; dynamic with an amount unless told. */
function payloadWith(accounts: TlvInput[], rest: TlvInput[] = [], { initiation = '12', amount = '1.00' }: Header = {}): string {
  return withCrc(
    encodeTlvList([
      { id: '00', value: '01' },
      ...(initiation === null ? [] : [{ id: '01', value: initiation }]),
      ...accounts,
      { id: '52', value: '0000' },
      { id: '53', value: '344' },
      ...(amount === null ? [] : [{ id: '54', value: amount }]),
      { id: '58', value: 'HK' },
      { id: '59', value: 'NA' },
      { id: '60', value: 'HK' },
      ...rest,
    ]),
  );
}

/** A Harbour-style template with the given target sub-IDs (default: a payment request, sub-ID 01). */
const harbourTemplate = (id: string, guid = HARBOUR_GUID, targets: Record<string, string> = { '01': 'prq_1' }): TlvInput => ({
  id,
  children: [{ id: '00', value: guid }, ...Object.entries(targets).map(([subId, value]) => ({ id: subId, value }))],
});

const STATIC_NO_AMOUNT: Header = { initiation: '11', amount: null };

describe('classifyScan', () => {
  it('recognises Harbour payloads and returns the request id with what the payload claims', () => {
    const result = classifyScan(PAYLOAD);
    expect(result).toMatchObject({
      kind: 'harbour',
      target: { kind: 'paymentRequest', id: SAMPLE_INPUT.paymentRequestId },
      fields: { amountMinor: 12345n, currency: 'HKD', merchantName: 'Harbour Coffee', reference: 'INV-0001' },
    });
  });

  it('round-trips each kind of Harbour payload to its target', () => {
    expect(classifyScan(encodeShopPayload(SAMPLE_SHOP_INPUT))).toMatchObject({
      kind: 'harbour',
      target: { kind: 'business', id: SAMPLE_SHOP_INPUT.businessId },
      fields: { initiationMethod: '11', amount: undefined, merchantName: 'Harbour Coffee' },
    });
    expect(classifyScan(encodePaymentLinkPayload(SAMPLE_LINK_INPUT))).toMatchObject({
      kind: 'harbour',
      target: { kind: 'paymentLink', id: SAMPLE_LINK_INPUT.paymentLinkId },
      fields: { initiationMethod: '11', amountMinor: 5000n },
    });
    expect(classifyScan(encodePaymentLinkPayload(SAMPLE_OPEN_LINK_INPUT))).toMatchObject({
      kind: 'harbour',
      target: { kind: 'paymentLink', id: SAMPLE_OPEN_LINK_INPUT.paymentLinkId },
      fields: { amount: undefined },
    });
  });

  it('recognises the Harbour GUID under any merchant account template and in any case', () => {
    for (const id of ['26', '30', '51']) {
      expect(classifyScan(payloadWith([harbourTemplate(id)]))).toMatchObject({
        kind: 'harbour',
        target: { kind: 'paymentRequest', id: 'prq_1' },
      });
    }
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID.toLowerCase())])).kind).toBe('harbour');
  });

  it('still calls a Harbour payload with wrong fields Harbour\'s; harbourPayloadMatches judges the fields', () => {
    const forged = withCrc(bodyOf(PAYLOAD).replace('5406123.45', '5406923.45'));
    expect(classifyScan(forged)).toMatchObject({ kind: 'harbour', fields: { amount: '923.45' } });
  });

  it('calls a payload that claims to be ours without a usable target invalid', () => {
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, {})]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
      message: 'the Harbour template 30 names no target: it needs one of sub-IDs 01 (payment request), 02 (business), 03 (payment link)',
    });
    // An unknown sub-ID is not a target either.
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, { '04': 'x_1' })]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
    });
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, { '01': 'prq 1' })]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
      message: 'the Harbour template 30 has a malformed payment request id',
    });
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, { '02': 'biz/1' })], [], STATIC_NO_AMOUNT))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
      message: 'the Harbour template 30 has a malformed business id',
    });
    expect(classifyScan(payloadWith([harbourTemplate('30'), harbourTemplate('31', HARBOUR_GUID, { '01': 'prq_2' })]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
    });
  });

  it('calls a Harbour template naming two targets invalid, whichever two', () => {
    const pairs: Array<[Record<string, string>, Header, string]> = [
      [{ '01': 'prq_1', '02': 'biz_1' }, {}, 'a payment request (01) and a business (02)'],
      [{ '02': 'biz_1', '03': 'lnk_1' }, STATIC_NO_AMOUNT, 'a business (02) and a payment link (03)'],
      [{ '01': 'prq_1', '03': 'lnk_1' }, { initiation: '11' }, 'a payment request (01) and a payment link (03)'],
      [{ '01': 'prq_1', '02': 'biz_1', '03': 'lnk_1' }, {}, 'a payment request (01) and a business (02) and a payment link (03)'],
    ];
    for (const [targets, header, named] of pairs) {
      expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, targets)], [], header))).toEqual({
        kind: 'invalid',
        reason: 'bad-harbour-template',
        message: `the Harbour template 30 names more than one target: ${named}`,
      });
    }
  });

  describe('holds each target to its point of initiation (ID 01) and amount (ID 54)', () => {
    const request = { '01': 'prq_1' };
    const business = { '02': 'biz_1' };
    const link = { '03': 'lnk_1' };

    it.each<[string, Record<string, string>, Header, string]>([
      ['a payment request, dynamic with an amount', request, {}, 'paymentRequest'],
      ['a business, static without an amount', business, STATIC_NO_AMOUNT, 'business'],
      ['a payment link, static with an amount', link, { initiation: '11' }, 'paymentLink'],
      ['a payment link, static without an amount', link, STATIC_NO_AMOUNT, 'paymentLink'],
    ])('accepts %s', (_what, targets, header, kind) => {
      const id = Object.values(targets)[0];
      expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, targets)], [], header))).toMatchObject({
        kind: 'harbour',
        target: { kind, id },
      });
    });

    it.each<[string, Record<string, string>, Header, string, string]>([
      [
        'a dynamic request without an amount',
        request,
        { amount: null },
        'amount-mismatch',
        'a dynamic Harbour payload for a payment request must carry an amount (ID 54)',
      ],
      [
        'a request marked static (01 = 11)',
        request,
        { initiation: '11' },
        'initiation-mismatch',
        "a payment request's Harbour payload is dynamic (ID 01 = 12), but this one has ID 01 = 11",
      ],
      [
        'a static shop payload claiming an amount',
        business,
        { initiation: '11' },
        'amount-mismatch',
        'a static Harbour payload for a business must not carry an amount (ID 54)',
      ],
      [
        'a shop payload marked dynamic (01 = 12)',
        business,
        { amount: null },
        'initiation-mismatch',
        "a business's Harbour payload is static (ID 01 = 11), but this one has ID 01 = 12",
      ],
      [
        'a link payload marked dynamic (01 = 12)',
        link,
        {},
        'initiation-mismatch',
        "a payment link's Harbour payload is static (ID 01 = 11), but this one has ID 01 = 12",
      ],
      [
        'a shop payload without ID 01',
        business,
        { initiation: null, amount: null },
        'initiation-mismatch',
        "a business's Harbour payload is static (ID 01 = 11), but this one has no ID 01",
      ],
      [
        'a request with an unknown point of initiation',
        request,
        { initiation: '13' },
        'initiation-mismatch',
        "a payment request's Harbour payload is dynamic (ID 01 = 12), but this one has ID 01 = 13",
      ],
    ])('calls %s invalid', (_what, targets, header, reason, message) => {
      expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, targets)], [], header))).toEqual({
        kind: 'invalid',
        reason,
        message,
      });
    });

    it('catches an amount added to a real shop code, or removed from a real request, under a recomputed CRC', () => {
      const shop = encodeShopPayload(SAMPLE_SHOP_INPUT);
      expect(classifyScan(withCrc(bodyOf(shop).replace('5802HK', '54041.005802HK')))).toMatchObject({
        kind: 'invalid',
        reason: 'amount-mismatch',
      });
      expect(classifyScan(withCrc(bodyOf(PAYLOAD).replace('5406123.45', '')))).toMatchObject({
        kind: 'invalid',
        reason: 'amount-mismatch',
      });
    });

    it('leaves other schemes alone whatever their 01 and 54 say', () => {
      const fps: TlvInput = { id: '26', children: [{ id: '00', value: 'hk.com.hkicl' }, { id: '02', value: 'fps@example' }] };
      for (const header of [{}, STATIC_NO_AMOUNT, { initiation: '11' }, { amount: null }, { initiation: null }]) {
        expect(classifyScan(payloadWith([fps], [], header))).toMatchObject({ kind: 'other-scheme', issues: [] });
      }
    });
  });

  it('does not treat the Harbour GUID outside the merchant account templates as ours', () => {
    const fps: TlvInput = { id: '26', children: [{ id: '00', value: 'hk.com.hkicl' }, { id: '01', value: 'X' }] };
    expect(classifyScan(payloadWith([fps], [harbourTemplate('80')])).kind).toBe('other-scheme');
  });

  it('names the other schemes it knows, and lists the rest by GUID or ID', () => {
    const result = classifyScan(
      payloadWith([
        { id: '04', value: '5555555555554444' },
        { id: '26', children: [{ id: '00', value: 'SG.PAYNOW' }, { id: '01', value: '2' }, { id: '02', value: '+6591234567' }] },
        { id: '27', children: [{ id: '00', value: 'com.example.wallet' }, { id: '01', value: 'abc' }] },
      ]),
    );
    expect(result).toMatchObject({
      kind: 'other-scheme',
      issues: [],
      schemes: [{ id: '04' }, { id: '26', guid: 'SG.PAYNOW', name: 'PayNow' }, { id: '27', guid: 'com.example.wallet' }],
    });
  });

  it('lets another scheme break rules that leave its payload intact, and lists them', () => {
    const sloppy = withCrc(
      encodeTlvList([
        { id: '00', value: '01' },
        { id: '01', value: '13' },
        { id: '26', children: [{ id: '01', value: 'X' }] },
        { id: '53', value: 'HKD' },
        { id: '54', value: '1,00' },
        { id: '58', value: 'hk' },
        { id: '59', value: 'A Very Long Merchant Name Indeed' },
        { id: '60', value: 'HK' },
        { id: '64', children: [{ id: '00', value: 'Chinese' }] },
      ]),
    );
    const result = classifyScan(sloppy);
    expect(result.kind).toBe('other-scheme');
    expect(result.kind === 'other-scheme' && result.issues.map(describeIssue)).toEqual([
      'missing 52',
      'format 01',
      'format 53',
      'format 54',
      'format 58',
      'format 59',
      'missing 26.00',
      'format 64.00',
      'missing 64.01',
    ]);
  });

  it('notes a payload with no merchant account at all, or over 512 characters', () => {
    const none = classifyScan(payloadWith([]));
    expect(none.kind === 'other-scheme' && none.issues.map(describeIssue)).toEqual(['missing 02-51']);
    const unreserved = Array.from({ length: 6 }, (_, i) => ({ id: String(80 + i), children: [{ id: '00', value: 'y'.repeat(90) }] }));
    const long = classifyScan(payloadWith([harbourTemplate('26', 'x'.repeat(80))], unreserved, { amount: null }));
    expect(long.kind === 'other-scheme' && long.issues.map(describeIssue)).toEqual(['format payload']);
  });

  it.each([
    ['an empty string', '', 'empty'],
    ['a URL', 'https://harbour.example/p/prq_1', 'bad-header'],
    ['a bar code number', '4901234567894', 'bad-header'],
    ['a payload missing its CRC', bodyOf(PAYLOAD), 'missing-crc'],
    ['a payload with a wrong CRC', PAYLOAD.replace('123.45', '923.45'), 'bad-crc'],
    ['a truncated payload', PAYLOAD.slice(0, 60), 'malformed-tlv'],
    ['a payload with a zero-length object', withCrc(`${bodyOf(PAYLOAD)}5500`), 'zero-length-object'],
    ['a payload with two amounts', withCrc(`${bodyOf(PAYLOAD)}54041.00`), 'duplicate-id'],
    ['a payload with its CRC in the middle', `${PAYLOAD}5802HK`, 'crc-not-last'],
  ])('calls %s invalid', (_what, text, reason) => {
    expect(classifyScan(text)).toMatchObject({ kind: 'invalid', reason });
  });
});
