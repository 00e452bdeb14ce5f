import { characterCount, isWellFormedText, parseName, parseOptionalText, type TextField } from '../text';

const displayName: TextField = { field: 'displayName', label: 'Display name', max: 50 };
const businessName: TextField = { field: 'name', label: 'Business name', max: 25 };
const city: TextField = { field: 'city', label: 'City', max: 15 };
const message: TextField = { field: 'message', label: 'Message', max: 140 };

/** The thrown error is BAD_USER_INPUT naming the field. */
const refusal = (field: string) => expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } });

describe('isWellFormedText', () => {
  it.each([
    ['a lone high surrogate', 'hi\ud800', false],
    ['a lone low surrogate', '\udc00hi', false],
    ['a reversed pair', '\udc00\ud800', false],
    ['a proper pair (an emoji)', 'hi \u{1F600}', true],
    ['plain text', 'Café', true],
  ])('%s → %s', (_label, value, expected) => {
    expect(isWellFormedText(value)).toBe(expected);
  });
});

describe('characterCount', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(characterCount('\u{1F600}\u{1F600}')).toBe(2);
    expect(characterCount('e\u0301')).toBe(2);
  });
});

describe('parseName', () => {
  it('trims and NFC-normalises: "Cafe\\u0301" is "Café"', () => {
    expect(parseName('  Cafe\u0301 ', businessName)).toBe('Caf\u00e9');
    expect(parseName('\u1100\u1161', displayName)).toBe('\uac00');
  });

  it.each([
    ['a lone surrogate', 'hi\ud800', /valid Unicode/],
    ['a right-to-left override ("Shop\\u202eevil" shows "Shoplive")', 'Shop\u202eevil', /invisible or direction-changing/],
    ['a left-to-right isolate', 'Shop\u2066evil', /invisible or direction-changing/],
    ['a right-to-left mark', 'Shop\u200f', /invisible or direction-changing/],
    ['the Arabic letter mark', 'Shop\u061c', /invisible or direction-changing/],
    ['a zero-width space', '\u200b', /invisible or direction-changing/],
    ['a zero-width space inside', 'Ada\u200bLau', /invisible or direction-changing/],
    ['a zero-width joiner', 'A\u200dB', /invisible or direction-changing/],
    ['a zero-width non-joiner', 'A\u200cB', /invisible or direction-changing/],
    ['a word joiner', 'A\u2060B', /invisible or direction-changing/],
    ['a byte order mark inside', 'A\ufeffB', /invisible or direction-changing/],
    ['a soft hyphen', 'Pay\u00adPal', /invisible or direction-changing/],
    ['a tag character', 'A\u{E0041}', /invisible or direction-changing/],
    ['a Hangul filler (a letter that draws as nothing)', '\u3164', /invisible or direction-changing/],
    ['the combining grapheme joiner', 'A\u034fB', /invisible or direction-changing/],
    ['a control character', 'A\u0007B', /control characters/],
    ['a tab', 'A\tB', /control characters/],
    ['a newline inside', 'A\nB', /control characters/],
    ['a line separator', 'A\u2028B', /control characters/],
    ['a paragraph separator', 'A\u2029B', /control characters/],
    ['a private-use character', 'Apple \uf8ff', /private-use or unassigned/],
    ['a noncharacter (never assigned)', 'A\uffff', /private-use or unassigned/],
    ['nothing', '', /1 to 50 characters/],
    ['only spaces', '   ', /1 to 50 characters/],
    ['only ideographic spaces', '\u3000\u3000', /1 to 50 characters/],
    ['only combining marks', '\u0301\u0301', /visible character/],
    ['only a braille blank', '\u2800', /visible character/],
  ])('refuses %s', (_label, value, message) => {
    expect(() => parseName(value, displayName)).toThrow(refusal('displayName'));
    expect(() => parseName(value, displayName)).toThrow(message);
  });

  it.each([
    ['letters of any script', '陳大文'],
    ['punctuation and digits', "O'Brien & Sons 2"],
    ['a symbol only', '\u2605'],
    ['an emoji with its variation selector', 'Ada \u2764\ufe0f'],
    ['a base letter with a mark that has no precomposed form', 'q\u0307'],
    ['a space between words', 'Chan Tai Man'],
  ])('accepts %s', (_label, value) => {
    expect(parseName(value, displayName)).toBe(value.normalize('NFC'));
  });

  it.each([
    ['displayName', 50, displayName],
    ['business name', 25, businessName],
    ['city', 15, city],
  ])('%s: %d characters after NFC fit, one more does not', (_label, max, rule) => {
    // Decomposed, each "é" is two code points; composed, one.
    expect(parseName('e\u0301'.repeat(max), rule)).toBe('\u00e9'.repeat(max));
    expect(parseName('\u{1F600}'.repeat(max), rule)).toBe('\u{1F600}'.repeat(max));
    expect(() => parseName('\u00e9'.repeat(max + 1), rule)).toThrow(refusal(rule.field));
    expect(() => parseName('\u00e9'.repeat(max + 1), rule)).toThrow(`must be 1 to ${max} characters`);
  });

  it('a combining mark with no precomposed form still counts as a character', () => {
    expect(() => parseName('q\u0307'.repeat(13), city)).toThrow(refusal('city'));
  });
});

describe('parseOptionalText', () => {
  it('absent, empty or blank is null', () => {
    expect(parseOptionalText(null, message)).toBeNull();
    expect(parseOptionalText(undefined, message)).toBeNull();
    expect(parseOptionalText('', message)).toBeNull();
    expect(parseOptionalText(' \u3000 ', message)).toBeNull();
  });

  it('trims and NFC-normalises', () => {
    expect(parseOptionalText(' for the cafe\u0301 ', message)).toBe('for the caf\u00e9');
  });

  it('keeps zero-width joiners and non-joiners: emoji sequences and several scripts need them', () => {
    expect(parseOptionalText('thanks \u{1F469}\u200d\u{1F4BB}', message)).toBe('thanks \u{1F469}\u200d\u{1F4BB}');
    expect(parseOptionalText('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', message)).toBe('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645');
  });

  it.each([
    ['a lone surrogate', 'hi\ud800', /valid Unicode/],
    ['a right-to-left override', 'for \u202edaol', /invisible or direction-changing/],
    ['a first-strong isolate', 'for \u2068x', /invisible or direction-changing/],
    ['a zero-width space', 'a\u200bb', /invisible or direction-changing/],
    ['a byte order mark inside', 'a\ufeffb', /invisible or direction-changing/],
    ['a newline', 'line one\nline two', /control characters/],
    ['a line separator', 'line one\u2028line two', /control characters/],
    ['only a zero-width joiner', '\u200d', /visible character/],
    ['only combining marks', '\u0301', /visible character/],
  ])('refuses %s', (_label, value, expected) => {
    expect(() => parseOptionalText(value, message)).toThrow(refusal('message'));
    expect(() => parseOptionalText(value, message)).toThrow(expected);
  });

  it('140 characters after NFC fit, 141 do not', () => {
    expect(parseOptionalText('e\u0301'.repeat(140), message)).toBe('\u00e9'.repeat(140));
    expect(parseOptionalText('\u{1F600}'.repeat(140), message)).toBe('\u{1F600}'.repeat(140));
    expect(() => parseOptionalText('x'.repeat(141), message)).toThrow('Message must be at most 140 characters.');
  });
});
