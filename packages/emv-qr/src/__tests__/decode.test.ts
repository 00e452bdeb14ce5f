import { decodeEmvPayload, type DecodeFailure } from '../..';
import { bodyOf, withCrc } from './support/payloads';

/** A minimal conforming foreign payload (FPS-style), without its CRC. */
const FIXED_BODY = '000201010211' + '26210012hk.com.hkicl0101X' + '52040000' + '5303344' + '5802HK' + '5902NA' + '6002HK';
/** The same with a zero-length object inside the template. */
const EMPTY_INSIDE_BODY = FIXED_BODY.replace('26210012hk.com.hkicl0101X', '26200012hk.com.hkicl0100');
const VALID = withCrc(FIXED_BODY);
/** The EMVCo specification sample: its CRC, A13A, has letters in it. */
const SPEC_SAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT' +
  '6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME' +
  '91320016A0112233449988770708123456786304A13A';

function failure(text: string): DecodeFailure {
  const result = decodeEmvPayload(text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return result.failure;
}

describe('decodeEmvPayload', () => {
  it('decodes a well-formed payload, parsing templates into children', () => {
    const result = decodeEmvPayload(VALID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload.objects.map((o) => o.id)).toEqual(['00', '01', '26', '52', '53', '58', '59', '60', '63']);
    expect(result.payload.objects[2]!.children).toEqual([
      { id: '00', value: 'hk.com.hkicl' },
      { id: '01', value: 'X' },
    ]);
    expect(result.payload.crc).toBe(VALID.slice(-4));
  });

  it('computes the CRC over UTF-8 bytes while counting lengths in characters', () => {
    const text = withCrc(FIXED_BODY + '64210002ZH0105陳記茶餐廳0202香港');
    const result = decodeEmvPayload(text);
    expect(result.ok && result.payload.objects.find((o) => o.id === '64')?.children?.[1]).toEqual({ id: '01', value: '陳記茶餐廳' });
  });

  it('refuses an empty string', () => {
    expect(failure('').reason).toBe('empty');
  });

  it.each([
    ['a URL', 'https://example.com/pay?id=1'],
    ['ID 01 first', '0102120002016304ABCD'],
    ['format indicator 02', withCrc(FIXED_BODY.replace(/^000201/, '000202'))],
    ['a leading space', ` ${VALID}`],
  ])('refuses %s as a bad header', (_what, text) => {
    expect(failure(text).reason).toBe('bad-header');
  });

  it('refuses malformed TLV at the top level with its offset', () => {
    const f = failure(withCrc(FIXED_BODY + '5X02AB'));
    expect(f).toMatchObject({ reason: 'malformed-tlv', path: '', offset: FIXED_BODY.length });
    expect(failure(VALID.slice(0, -2)).reason).toBe('malformed-tlv');
    expect(failure(`${VALID}\n`).reason).toBe('malformed-tlv');
  });

  it('refuses a template whose content is not TLV, even with a correct CRC', () => {
    expect(failure(withCrc(FIXED_BODY + '6205hello'))).toMatchObject({ reason: 'malformed-tlv', path: '62' });
    expect(failure(withCrc(FIXED_BODY.replace('26210012hk.com.hkicl0101X', '2605hello')))).toMatchObject({
      reason: 'malformed-tlv',
      path: '26',
    });
    expect(failure(withCrc(FIXED_BODY + '8004ABCD'))).toMatchObject({ reason: 'malformed-tlv', path: '80' });
  });

  it('refuses a payload without a CRC', () => {
    expect(failure(FIXED_BODY).reason).toBe('missing-crc');
  });

  it('refuses a CRC that is not last', () => {
    const crcFirst = `${VALID}5802HK`;
    expect(failure(crcFirst).reason).toBe('crc-not-last');
    expect(failure(`${VALID}6304${VALID.slice(-4)}`).reason).toBe('crc-not-last');
  });

  it('refuses a wrong CRC and says which one was expected', () => {
    const expected = VALID.slice(-4);
    const wrong = expected === '0000' ? '0001' : '0000';
    expect(failure(bodyOf(VALID) + '6304' + wrong)).toMatchObject({ reason: 'bad-crc', expected, found: wrong });
    expect(failure(bodyOf(VALID) + '6302AB')).toMatchObject({ reason: 'bad-crc', expected, found: 'AB' });
    expect(failure(bodyOf(VALID) + '6304XYZW')).toMatchObject({ reason: 'bad-crc', expected });
  });

  it('refuses a payload altered after the CRC was computed', () => {
    expect(failure(VALID.replace('5902NA', '5902NB')).reason).toBe('bad-crc');
  });

  it('accepts a correct CRC written in lowercase (the data is intact)', () => {
    expect(decodeEmvPayload(SPEC_SAMPLE).ok).toBe(true);
    expect(decodeEmvPayload(SPEC_SAMPLE.replace(/A13A$/, 'a13a')).ok).toBe(true);
  });

  it('refuses a zero-length object, at the top level or inside a template', () => {
    expect(failure(withCrc(FIXED_BODY + '5500'))).toMatchObject({ reason: 'zero-length-object', path: '55' });
    expect(failure(withCrc(EMPTY_INSIDE_BODY))).toMatchObject({ reason: 'zero-length-object', path: '26.01' });
    expect(failure(withCrc(FIXED_BODY + '6200'))).toMatchObject({ reason: 'zero-length-object', path: '62' });
  });

  it('refuses a repeated ID, at the top level or inside a template', () => {
    expect(failure(withCrc(FIXED_BODY + '540510.00540520.00'))).toMatchObject({ reason: 'duplicate-id', path: '54' });
    expect(failure(withCrc(FIXED_BODY + '62140503ABC0503DEF'))).toMatchObject({ reason: 'duplicate-id', path: '62.05' });
    expect(failure(withCrc(FIXED_BODY + '000201'))).toMatchObject({ reason: 'duplicate-id', path: '00' });
  });

  it('reports the CRC before rules inside the payload, since a damaged read explains everything after it', () => {
    expect(failure(FIXED_BODY + '5500' + '63040000').reason).toBe('bad-crc');
  });
});
