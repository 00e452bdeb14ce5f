import { GraphQLError } from 'graphql';
import { normalisePhone, parsePhone } from '../phone';

/** Ways of writing +852 9123 4567 that people and keyboards produce. */
const SPELLINGS: Array<[string, string]> = [
  ['as stored', '+85291234567'],
  ['a trailing space', '+85291234567 '],
  ['a leading space', ' +85291234567'],
  ['a trailing tab and newline', '+85291234567\t\n'],
  ['full-width digits and plus', '＋８５２９１２３４５６７'],
  ['a full-width plus', '＋85291234567'],
  ['full-width digits', '+８５２９１２３４５６７'],
  ['spaces inside', '+852 9123 4567'],
  ['ideographic and no-break spaces inside', '+852\u30009123\u00a04567'],
  ['dashes', '+852-9123-4567'],
  ['dots', '+852.9123.4567'],
  ['parentheses', '+852 (9123) 4567'],
];

/** Text that spells no number in international form. */
const NOT_NUMBERS: Array<[string, string]> = [
  ['empty', ''],
  ['no country code (national form)', '91234567'],
  ['an international call prefix instead of the plus', '0085291234567'],
  ['a country code that does not exist', '+9991234567'],
  ['two pluses', '++85291234567'],
  ['a letter after it', '+85291234567x'],
  ['an extension', '+85291234567 ext 12'],
  ['other text around it', 'tel:+85291234567'],
  ['more than 15 digits', '+8529123456789012'],
  ['text far longer than any number', `+852${' '.repeat(100)}91234567`],
];

describe('normalisePhone', () => {
  it.each(SPELLINGS)('reads %s as the one E.164 form', (_label, text) => {
    expect(normalisePhone(text)).toBe('+85291234567');
  });

  it.each(NOT_NUMBERS)('answers null for %s', (_label, text) => {
    expect(normalisePhone(text)).toBeNull();
  });

  it('drops a national prefix written after the country code, as people write UK numbers', () => {
    expect(normalisePhone('+44 (0)7911 123456')).toBe('+447911123456');
  });

  it('normalises a number of a length the country does not use (it may be registered from before), to itself', () => {
    expect(normalisePhone('+1 234 567')).toBe('+1234567');
  });

  it('is idempotent: its answer normalises to itself', () => {
    for (const [, text] of SPELLINGS) expect(normalisePhone(normalisePhone(text)!)).toBe(normalisePhone(text));
  });
});

describe('parsePhone', () => {
  const refusal = (text: string) => {
    try {
      parsePhone(text);
    } catch (error) {
      return error instanceof GraphQLError ? { code: error.extensions.code, field: error.extensions.field } : error;
    }
    return 'accepted';
  };

  it.each(SPELLINGS)('takes %s as the one E.164 form', (_label, text) => {
    expect(parsePhone(text)).toBe('+85291234567');
  });

  it.each([...NOT_NUMBERS, ['ten digits after +852 (Hong Kong numbers have 5 to 9, or 11)', '+8529123456789'], ['a length no plan of +1 has', '+1234567']])(
    'refuses %s with BAD_USER_INPUT',
    (_label, text) => {
      expect(refusal(text)).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });
    },
  );

  it('names the field it was given', () => {
    expect(() => parsePhone('91234567', 'recipientPhone')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field: 'recipientPhone' }) }));
  });

  it('takes numbers of every country in E.164, whether or not the range is allocated yet', () => {
    expect(parsePhone('+86 138 0013 8000')).toBe('+8613800138000');
    expect(parsePhone('+44 7911 123456')).toBe('+447911123456');
    expect(parsePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(parsePhone('+852 0000 0001')).toBe('+85200000001');
  });
});
