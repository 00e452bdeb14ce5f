import { formatDecimal, parseDateTime, parseDecimal } from '../scalars';

describe('Decimal', () => {
  it.each([
    ['0', 0n],
    ['0.5', 50n],
    ['12.50', 1250n],
    ['999999999.99', 99999999999n],
    ['50000', 5000000n],
  ])('parses %s to %s minor units', (input, minor) => {
    expect(parseDecimal(input)).toBe(minor);
  });

  it.each(['', '01', '1.', '.5', '1.234', '-1', '+1', '1e3', '1000000000', ' 1', '1,00', 'NaN'])('refuses %j with BAD_USER_INPUT', (input) => {
    expect(() => parseDecimal(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  it('refuses numbers: amounts travel as strings', () => {
    expect(() => parseDecimal(12.5)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [1250n, '12.50'],
    [-1250n, '-12.50'],
  ])('formats %s as %s, always two decimals', (minor, text) => {
    expect(formatDecimal(minor)).toBe(text);
  });
});

describe('DateTime', () => {
  it('takes RFC 3339 with an offset and means the same instant', () => {
    expect(parseDateTime('2026-11-22T00:00:00+08:00').toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(parseDateTime('2026-11-22T10:11:12.345Z').toISOString()).toBe('2026-11-22T10:11:12.345Z');
  });

  it.each(['2026-11-22T00:00:00', '2026-11-22', '2026-02-30T00:00:00Z', '2026-11-22T24:00:00Z', 'yesterday', '1700000000'])(
    'refuses %j with BAD_USER_INPUT',
    (input) => {
      expect(() => parseDateTime(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    },
  );
});
