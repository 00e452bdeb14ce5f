import { HARBOUR_GUID, classifyScan, describeIssue, encodeHarbourPayload, encodeTlvList, type TlvInput } from '../..';
import { SAMPLE_INPUT, bodyOf, withCrc } from './support/payloads';

const PAYLOAD = encodeHarbourPayload(SAMPLE_INPUT);

/** A conforming payload around the given merchant account objects. */
function payloadWith(accounts: TlvInput[], rest: TlvInput[] = []): string {
  return withCrc(
    encodeTlvList([
      { id: '00', value: '01' },
      { id: '01', value: '12' },
      ...accounts,
      { id: '52', value: '0000' },
      { id: '53', value: '344' },
      { id: '58', value: 'HK' },
      { id: '59', value: 'NA' },
      { id: '60', value: 'HK' },
      ...rest,
    ]),
  );
}

/** A Harbour-style template; `requestId` null leaves sub-ID 01 out. */
const harbourTemplate = (id: string, guid = HARBOUR_GUID, requestId: string | null = 'prq_1'): TlvInput => ({
  id,
  children: [{ id: '00', value: guid }, ...(requestId === null ? [] : [{ id: '01', value: requestId }])],
});

describe('classifyScan', () => {
  it('recognises Harbour payloads and returns the request id with what the payload claims', () => {
    const result = classifyScan(PAYLOAD);
    expect(result).toMatchObject({
      kind: 'harbour',
      paymentRequestId: SAMPLE_INPUT.paymentRequestId,
      fields: { amountMinor: 12345n, currency: 'HKD', merchantName: 'Harbour Coffee', reference: 'INV-0001' },
    });
  });

  it('recognises the Harbour GUID under any merchant account template and in any case', () => {
    for (const id of ['26', '30', '51']) {
      expect(classifyScan(payloadWith([harbourTemplate(id)]))).toMatchObject({ kind: 'harbour', paymentRequestId: 'prq_1' });
    }
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID.toLowerCase())])).kind).toBe('harbour');
  });

  it('still calls a Harbour payload with wrong fields Harbour\'s; harbourPayloadMatches judges the fields', () => {
    const forged = withCrc(bodyOf(PAYLOAD).replace('5406123.45', '5406923.45'));
    expect(classifyScan(forged)).toMatchObject({ kind: 'harbour', fields: { amount: '923.45' } });
  });

  it('calls a payload that claims to be ours without a usable request id invalid', () => {
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, null)]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
    });
    expect(classifyScan(payloadWith([harbourTemplate('30', HARBOUR_GUID, 'prq 1')]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
    });
    expect(classifyScan(payloadWith([harbourTemplate('30'), harbourTemplate('31', HARBOUR_GUID, 'prq_2')]))).toMatchObject({
      kind: 'invalid',
      reason: 'bad-harbour-template',
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
    const long = classifyScan(payloadWith([harbourTemplate('26', 'x'.repeat(80))], unreserved));
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
