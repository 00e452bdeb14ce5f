import { encodeTlvList, encodeTlvObject, parseTlvList, valueAt } from '../..';

describe('the TLV codec', () => {
  it('splits consecutive objects', () => {
    expect(parseTlvList('000201010212')).toEqual({
      ok: true,
      objects: [
        { id: '00', value: '01' },
        { id: '01', value: '12' },
      ],
    });
  });

  it('counts lengths in code points, not bytes or UTF-16 units', () => {
    const parsed = parseTlvList('0104最佳运输0202北京0302𠀋😀');
    expect(parsed.ok && parsed.objects.map((o) => o.value)).toEqual(['最佳运输', '北京', '𠀋😀']);
    expect(encodeTlvObject({ id: '01', value: '最佳运输' })).toBe('0104最佳运输');
    expect(encodeTlvObject({ id: '03', value: '𠀋😀' })).toBe('0302𠀋😀');
  });

  it('accepts an empty list and a zero-length value (the payload rules reject the latter)', () => {
    expect(parseTlvList('')).toEqual({ ok: true, objects: [] });
    expect(parseTlvList('5800')).toEqual({ ok: true, objects: [{ id: '58', value: '' }] });
  });

  it.each([
    ['a non-digit id', '0A0201', 0, /id "0A"/],
    ['a non-digit length', '000X01', 2, /length "0X"/],
    ['a length past the end', '000201' + '5905ABC', 6, /declares length 5 but only 3/],
    ['a truncated header', '000201' + '59', 6, /truncated/],
    ['a sign in the length', '00-101', 2, /length "-1"/],
  ])('reports %s with its offset', (_what, text, offset, message) => {
    const parsed = parseTlvList(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.offset).toBe(offset);
      expect(parsed.message).toMatch(message);
    }
  });

  it('encodes templates from their children', () => {
    expect(encodeTlvList([{ id: '62', children: [{ id: '05', value: 'INV-1' }] }, { id: '58', value: 'HK' }])).toBe(
      '62090505INV-15802HK',
    );
  });

  it('refuses to encode what EMVCo cannot express', () => {
    expect(() => encodeTlvObject({ id: '5', value: 'x' })).toThrow(RangeError);
    expect(() => encodeTlvObject({ id: '59', value: '' })).toThrow(/empty/);
    expect(() => encodeTlvObject({ id: '59', value: 'x'.repeat(100) })).toThrow(/limit is 99/);
    expect(encodeTlvObject({ id: '59', value: 'x'.repeat(99) })).toHaveLength(103);
  });

  it('looks values up by path', () => {
    const objects = [{ id: '62', value: '0505INV-1', children: [{ id: '05', value: 'INV-1' }] }];
    expect(valueAt(objects, '62', '05')).toBe('INV-1');
    expect(valueAt(objects, '62', '07')).toBeUndefined();
    expect(valueAt(objects, '64', '00')).toBeUndefined();
  });
});
