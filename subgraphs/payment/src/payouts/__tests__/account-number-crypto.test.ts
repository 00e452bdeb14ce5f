import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError } from '@harbour/config';
import { AccountNumberCryptoError, DEVELOPMENT_KEY_ID, accountNumberKeyring, type AccountNumberKeyring } from '../account-number-crypto';

const key = () => randomBytes(32).toString('base64');
const K1 = key();
const K2 = key();
const BUSINESS = 'biz_01HZX3Q8Y7';
const OTHER_BUSINESS = 'biz_01HZX3Q8Y8';
const NUMBER = '123456789001';

const ring = (value: string, mode: 'sandbox' | 'production' = 'sandbox') => accountNumberKeyring({ PAYOUT_ACCOUNT_KEYS: value, HARBOUR_MODE: mode });

/** The error `fn` throws, to look at its message. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** `stored` with one byte of part `index` (2: iv, 3: tag, 4: ciphertext) flipped. */
function flip(stored: string, index: number, byte = 0): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encrypting an account number', () => {
  const keyring = ring(`k1:${K1}`);

  it('round-trips, in the stored form v1.<keyId>.<iv>.<tag>.<ciphertext>', () => {
    const stored = keyring.encrypt(NUMBER, BUSINESS);
    expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(NUMBER);
    expect(keyring.decrypt(stored, BUSINESS)).toBe(NUMBER);
  });

  it('uses a fresh IV every time', () => {
    const values = Array.from({ length: 50 }, () => keyring.encrypt(NUMBER, BUSINESS));
    expect(new Set(values).size).toBe(50);
    expect(new Set(values.map((value) => value.split('.')[2])).size).toBe(50);
    for (const value of values) expect(keyring.decrypt(value, BUSINESS)).toBe(NUMBER);
  });

  it('round-trips any text, not only digits', () => {
    for (const plain of ['0', '陳大文 🏦', 'x'.repeat(1000)]) expect(keyring.decrypt(keyring.encrypt(plain, BUSINESS), BUSINESS)).toBe(plain);
  });

  it('refuses an empty plain text or row', () => {
    expect(() => keyring.encrypt('', BUSINESS)).toThrow(TypeError);
    expect(() => keyring.encrypt(NUMBER, '')).toThrow(TypeError);
    expect(() => keyring.decrypt(keyring.encrypt(NUMBER, BUSINESS), '')).toThrow(TypeError);
  });
});

describe('a stored value that was tampered with', () => {
  const keyring = ring(`k1:${K1}`);
  const stored = keyring.encrypt(NUMBER, BUSINESS);

  it.each([
    ['the iv', 2, 0],
    ['the iv (last byte)', 2, 11],
    ['the tag', 3, 0],
    ['the tag (last byte)', 3, 15],
    ['the ciphertext', 4, 0],
    ['the ciphertext (last byte)', 4, NUMBER.length - 1],
  ])('does not decrypt when a byte of %s is flipped', (_what, index, byte) => {
    const tampered = flip(stored, index, byte);
    expect(tampered).not.toBe(stored);
    const error = thrown(() => keyring.decrypt(tampered, BUSINESS));
    expect(error).toBeInstanceOf(AccountNumberCryptoError);
    expect(error.message).toBe('The stored account number does not decrypt: it was altered, or it belongs to another row.');
  });

  it('does not decrypt for another row (wrong AAD)', () => {
    const error = thrown(() => keyring.decrypt(stored, OTHER_BUSINESS));
    expect(error).toBeInstanceOf(AccountNumberCryptoError);
    expect(error.message).not.toContain(NUMBER);
  });

  it('does not decrypt under another key id with the same key bytes', () => {
    // The key id is authenticated too: relabelling a value is an alteration.
    const twin = accountNumberKeyring({ PAYOUT_ACCOUNT_KEYS: `k9:${K1}` });
    expect(() => twin.decrypt(stored.replace(/^v1\.k1\./, 'v1.k9.'), BUSINESS)).toThrow(AccountNumberCryptoError);
  });

  it.each([
    ['empty', ''],
    ['another version', stored.replace(/^v1\./, 'v2.')],
    ['a part missing', stored.split('.').slice(0, 4).join('.')],
    ['a part too many', `${stored}.AA`],
    ['a short iv', (() => { const p = stored.split('.'); p[2] = p[2]!.slice(0, 8); return p.join('.'); })()],
    ['a short tag', (() => { const p = stored.split('.'); p[3] = p[3]!.slice(0, 20); return p.join('.'); })()],
    ['no ciphertext', (() => { const p = stored.split('.'); p[4] = ''; return p.join('.'); })()],
    ['not base64url', stored.replace(/\.([A-Za-z0-9_-])/, '.+')],
    ['a bad key id', stored.replace(/^v1\.k1\./, 'v1.k 1.')],
  ])('is malformed when %s', (_what, value) => {
    const error = thrown(() => keyring.decrypt(value, BUSINESS));
    expect(error).toBeInstanceOf(AccountNumberCryptoError);
    expect(error.message).toBe('The stored account number is malformed.');
    expect(() => keyring.needsReencryption(value)).toThrow(AccountNumberCryptoError);
  });
});

describe('rotating the key', () => {
  const before = ring(`k1:${K1}`);
  const during = ring(`k2:${K2},k1:${K1}`);
  const after = ring(`k2:${K2}`);
  const old = before.encrypt(NUMBER, BUSINESS);

  it('decrypts values written with an older key', () => {
    expect(during.currentKeyId).toBe('k2');
    expect(during.keyIds).toEqual(['k2', 'k1']);
    expect(during.decrypt(old, BUSINESS)).toBe(NUMBER);
  });

  it('encrypts with the first key', () => {
    expect(during.encrypt(NUMBER, BUSINESS)).toMatch(/^v1\.k2\./);
  });

  it('says which values need re-encryption', () => {
    expect(before.needsReencryption(old)).toBe(false);
    expect(during.needsReencryption(old)).toBe(true);
    const again = during.encrypt(during.decrypt(old, BUSINESS), BUSINESS);
    expect(during.needsReencryption(again)).toBe(false);
    expect(after.decrypt(again, BUSINESS)).toBe(NUMBER);
  });

  it('names the missing key once the old one is dropped, and nothing secret', () => {
    const error = thrown(() => after.decrypt(old, BUSINESS));
    expect(error).toBeInstanceOf(AccountNumberCryptoError);
    expect(error.message).toBe('The stored account number was encrypted with key "k1", which is not in PAYOUT_ACCOUNT_KEYS.');
    expect(after.needsReencryption(old)).toBe(true);
  });

  it('tolerates spaces around entries', () => {
    expect(ring(` k2 : ${K2} , k1:${K1} `).decrypt(old, BUSINESS)).toBe(NUMBER);
  });
});

describe('the keyring configuration', () => {
  const secretIn = (error: Error, ...secrets: string[]) =>
    secrets.some((secret) => error.message.includes(secret) || error.message.includes(Buffer.from(secret, 'base64').toString('hex')));

  it.each([
    ['an empty entry', () => `k1:${K1},`, 'entry 2 is empty'],
    ['an entry without a colon', () => `k1:${K1},${K2}`, 'entry 2 is not keyId:base64key'],
    ['a key without an id', () => `:${K1}`, 'entry 1: the key id must be'],
    ['an id with a dot', () => `k.1:${K1}`, 'entry 1: the key id must be'],
    ['an id too long', () => `${'k'.repeat(33)}:${K1}`, 'entry 1: the key id must be'],
    ['a duplicate id', () => `k1:${K1},k1:${K2}`, 'key id "k1" appears more than once'],
    ['the same key twice', () => `k1:${K1},k2:${K1}`, 'keys "k1" and "k2" are the same key'],
    ['a short key', () => `k1:${randomBytes(16).toString('base64')}`, 'key "k1" is 16 bytes; AES-256 needs 32'],
    ['a long key', () => `k1:${randomBytes(33).toString('base64')}`, 'key "k1" is 33 bytes; AES-256 needs 32'],
    ['a key that is not base64', () => `k1:${K1.slice(0, 20)}!${K1.slice(21)}`, 'key "k1" is not base64'],
    ['a hex key', () => `k1:${randomBytes(32).toString('hex')}`, 'key "k1" is 48 bytes'],
    ['an empty key', () => 'k1:', 'key "k1" is not base64'],
  ])('refuses %s, naming the entry but no key material', (_what, value, message) => {
    const config = value();
    const error = thrown(() => ring(config));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('PAYOUT_ACCOUNT_KEYS is malformed: ');
    expect(error.message).toContain(message);
    const keys = config.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1).trim()).filter((part) => part.length >= 8);
    expect(secretIn(error, ...keys)).toBe(false);
  });

  it('never shows a key when the keyring is logged', () => {
    const keyring = ring(`k2:${K2},k1:${K1}`);
    for (const shown of [JSON.stringify(keyring), inspect(keyring, { depth: 10, showHidden: true }), String(keyring)]) {
      for (const secret of [K1, K2, Buffer.from(K1, 'base64').toString('hex'), Buffer.from(K2, 'base64').toString('hex')]) expect(shown).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(keyring))).toEqual({ currentKeyId: 'k2', keyIds: ['k2', 'k1'], development: false });
  });

  describe('without PAYOUT_ACCOUNT_KEYS', () => {
    it('is required in production mode', () => {
      for (const env of [{ HARBOUR_MODE: 'production' }, { HARBOUR_MODE: 'production', PAYOUT_ACCOUNT_KEYS: '' }]) {
        const error = thrown(() => accountNumberKeyring(env));
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.message).toBe('PAYOUT_ACCOUNT_KEYS is required in production mode.');
      }
      expect(() => accountNumberKeyring({}, 'production')).toThrow(ConfigError);
    });

    it('uses the same development key on every run in sandbox mode', () => {
      const first: AccountNumberKeyring = accountNumberKeyring({});
      const second = accountNumberKeyring({ HARBOUR_MODE: 'sandbox', PAYOUT_ACCOUNT_KEYS: '' });
      expect(first.development).toBe(true);
      expect(first.currentKeyId).toBe(DEVELOPMENT_KEY_ID);
      expect(second.decrypt(first.encrypt(NUMBER, BUSINESS), BUSINESS)).toBe(NUMBER);
      expect(ring(`k1:${K1}`).development).toBe(false);
    });

    it('refuses the development key in production even when configured', () => {
      // The development key is public: SHA-256 of a label in the source. That this is it shows in a value the
      // sandbox keyring wrote decrypting under it.
      const dev = createHash('sha256').update('harbour/payout-account-number/development-key/v1').digest('base64');
      const sandboxValue = accountNumberKeyring({}).encrypt(NUMBER, BUSINESS);
      expect(ring(`dev:${dev}`).decrypt(sandboxValue, BUSINESS)).toBe(NUMBER);
      const error = thrown(() => ring(`live:${key()},old:${dev}`, 'production'));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe('PAYOUT_ACCOUNT_KEYS is malformed: key "old" is the public development key, refused in production mode.');
      expect(error.message).not.toContain(dev);
    });

    it('accepts real keys in production', () => {
      expect(ring(`k1:${K1}`, 'production').decrypt(ring(`k1:${K1}`).encrypt(NUMBER, BUSINESS), BUSINESS)).toBe(NUMBER);
    });

    it('refuses an unknown HARBOUR_MODE', () => {
      expect(() => accountNumberKeyring({ HARBOUR_MODE: 'prod' })).toThrow(ConfigError);
    });
  });
});

describe('error messages', () => {
  it('never contain key material or the account number', () => {
    const keyring = ring(`k2:${K2},k1:${K1}`);
    const stored = keyring.encrypt(NUMBER, BUSINESS);
    const errors = [
      thrown(() => keyring.decrypt(stored, OTHER_BUSINESS)),
      thrown(() => keyring.decrypt(flip(stored, 4), BUSINESS)),
      thrown(() => keyring.decrypt(stored.slice(0, -2), BUSINESS)),
      thrown(() => ring(`k3:${K2}`).decrypt(stored, BUSINESS)),
      thrown(() => keyring.decrypt(`${stored}x`, BUSINESS)),
    ];
    for (const error of errors) {
      const shown = `${error.message} ${error.stack ?? ''} ${inspect(error)}`;
      for (const secret of [NUMBER, NUMBER.slice(-6), K1, K2, stored.split('.')[4]!, stored.split('.')[3]!]) expect(shown).not.toContain(secret);
    }
  });
});
