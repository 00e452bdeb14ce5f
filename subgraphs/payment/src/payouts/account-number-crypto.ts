/**
 * A payout account's full number, encrypted at rest (money-out.md, "Payout
 * account"): AES-256-GCM with keys from the environment (in production, from
 * Key Vault through it), never from the database.
 *
 * Configuration: `PAYOUT_ACCOUNT_KEYS` = comma-separated `keyId:base64key`,
 * each key 32 random bytes (`openssl rand -base64 32`), each id 1 to 32
 * letters, digits, `_` or `-`. The FIRST key is the current one: everything
 * is encrypted with it. The others only decrypt rows written before a
 * rotation.
 *
 * Stored form, one string: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (the last
 * three base64url), with a random 12-byte IV per value. The additional
 * authenticated data binds a value to its row (the business id): a ciphertext
 * copied into another business's row does not decrypt.
 *
 * Rotating the key:
 *   1. Generate a new key and put it FIRST in PAYOUT_ACCOUNT_KEYS, keeping the
 *      old one after it: `PAYOUT_ACCOUNT_KEYS=k2:<new>,k1:<old>`. Deploy. New
 *      and changed accounts are now written with k2; rows written with k1
 *      still decrypt.
 *   2. Re-encrypt: for every stored number where `needsReencryption(stored)`
 *      is true, `encrypt(decrypt(stored, aad), aad)` and write it back only if
 *      the row still holds `stored` (a concurrent change wins). Repeat until
 *      no row needs it.
 *   3. Only then drop the old key: `PAYOUT_ACCOUNT_KEYS=k2:<new>`. Deploy. A
 *      row still written with k1 would now fail to decrypt, naming k1.
 *   Never reuse a key id for different key material, and never remove a key
 *   while a row may still use it.
 *
 * Without PAYOUT_ACCOUNT_KEYS: in production mode (`HARBOUR_MODE=production`,
 * the mode every other secret of Harbour's is required in) startup fails; in
 * sandbox mode (a developer's `npm start`, the tests) a DEVELOPMENT key is
 * used, derived deterministically from a fixed label, so it is the same on
 * every machine and every run, and it is public: it protects nothing, and
 * production refuses it even when it is configured explicitly.
 *
 * No error message here ever contains key material, an account number or a
 * stored ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, readVar, type Mode } from '@harbour/config';

type Env = Record<string, string | undefined>;

export const PAYOUT_ACCOUNT_KEYS = 'PAYOUT_ACCOUNT_KEYS';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Separates this use of the key from any other, inside the authenticated data. */
const PURPOSE = 'harbour.payout-account-number';

/** The key id of the development key (sandbox mode without PAYOUT_ACCOUNT_KEYS). */
export const DEVELOPMENT_KEY_ID = 'dev';
/**
 * The development key: SHA-256 of a fixed label. Deterministic on purpose, so
 * a sandbox database written on one run (or machine) decrypts on the next
 * with nothing configured. Public, so never for real account numbers.
 */
const developmentKey = () => createHash('sha256').update('harbour/payout-account-number/development-key/v1').digest();

/** A stored account number that cannot be read: malformed, written with a key not configured, altered, or from another row. */
export class AccountNumberCryptoError extends Error {
  override name = 'AccountNumberCryptoError';
}

export interface AccountNumberKeyring {
  /** The key everything is encrypted with (the first in PAYOUT_ACCOUNT_KEYS). */
  readonly currentKeyId: string;
  /** Every key id that decrypts, the current first. */
  readonly keyIds: readonly string[];
  /** True when this is the public development key (sandbox mode without PAYOUT_ACCOUNT_KEYS): worth a warning in the log. */
  readonly development: boolean;
  /** `plain` encrypted with the current key, bound to `aad` (the row's owner, e.g. the business id). */
  encrypt(plain: string, aad: string): string;
  /** The plain text of `stored`, if it was encrypted with a configured key for this same `aad`. */
  decrypt(stored: string, aad: string): string;
  /** True when `stored` was written with a key other than the current one (re-encrypt it; see "Rotating the key"). */
  needsReencryption(stored: string): boolean;
}

interface ParsedKey {
  id: string;
  key: Buffer;
}

/** `keyId:base64key,…` → keys, in order; every message names the entry or its id, never the key. */
function parseKeys(value: string): ParsedKey[] {
  const malformed = (reason: string) => new ConfigError(`${PAYOUT_ACCOUNT_KEYS} is malformed: ${reason}`);
  const keys: ParsedKey[] = [];
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const n = index + 1;
    if (entry === '') throw malformed(`entry ${n} is empty (expected keyId:base64key, comma-separated).`);
    const colon = entry.indexOf(':');
    if (colon < 0) throw malformed(`entry ${n} is not keyId:base64key.`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    // The id is printed from here on, so only once it is known to be an id (a misplaced key would not match).
    if (!KEY_ID.test(id)) throw malformed(`entry ${n}: the key id must be 1 to 32 letters, digits, '_' or '-'.`);
    if (keys.some((key) => key.id === id)) throw malformed(`key id "${id}" appears more than once.`);
    const key = Buffer.from(encoded, 'base64');
    // Buffer skips characters that are not base64; re-encoding shows whether any were there.
    if (!BASE64.test(encoded) || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
      throw malformed(`key "${id}" is not base64.`);
    }
    if (key.length !== KEY_BYTES) throw malformed(`key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES} (openssl rand -base64 32).`);
    const twin = keys.find((other) => timingSafeEqual(other.key, key));
    if (twin) throw malformed(`keys "${twin.id}" and "${id}" are the same key.`);
    keys.push({ id, key });
  });
  return keys;
}

/**
 * The keyring from `PAYOUT_ACCOUNT_KEYS` (a ConfigError when it is malformed,
 * or missing in production mode). `mode` is the process's (`commonConfig`'s):
 * `paymentConfig` may pass its own; without it, `HARBOUR_MODE` is read as
 * `commonConfig` reads it.
 */
export function accountNumberKeyring(env: Env = process.env, mode?: Mode): AccountNumberKeyring {
  const processMode = mode ?? readVar(env, 'HARBOUR_MODE', z.enum(['sandbox', 'production']), 'sandbox');
  const value = env[PAYOUT_ACCOUNT_KEYS];
  if (value === undefined || value === '') {
    if (processMode === 'production') throw new ConfigError(`${PAYOUT_ACCOUNT_KEYS} is required in production mode.`);
    return new Keyring([{ id: DEVELOPMENT_KEY_ID, key: developmentKey() }], true);
  }
  const keys = parseKeys(value);
  if (processMode === 'production') {
    const dev = developmentKey();
    const found = keys.find((key) => timingSafeEqual(key.key, dev));
    if (found) throw new ConfigError(`${PAYOUT_ACCOUNT_KEYS} is malformed: key "${found.id}" is the public development key, refused in production mode.`);
  }
  return new Keyring(keys, false);
}

interface StoredParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

const unreadable = () => new AccountNumberCryptoError('The stored account number is malformed.');

/** Strict base64url (what `toString('base64url')` writes, nothing else). */
function fromBase64url(part: string | undefined): Buffer {
  if (part === undefined || !BASE64URL.test(part)) throw unreadable();
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw unreadable();
  return bytes;
}

function parseStored(stored: string): StoredParts {
  if (typeof stored !== 'string') throw unreadable();
  const parts = stored.split('.');
  const [version, keyId, iv, tag, ciphertext] = parts;
  if (parts.length !== 5 || version !== VERSION || keyId === undefined || !KEY_ID.test(keyId)) throw unreadable();
  const parsed = { keyId, iv: fromBase64url(iv), tag: fromBase64url(tag), ciphertext: fromBase64url(ciphertext) };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES || parsed.ciphertext.length === 0) throw unreadable();
  return parsed;
}

/** What GCM authenticates beside the ciphertext: the purpose, the version, the key id and the row. */
function additionalData(keyId: string, aad: string): Buffer {
  if (typeof aad !== 'string' || aad === '') throw new TypeError('The additional authenticated data (the row it belongs to) must be a non-empty string.');
  return Buffer.from(JSON.stringify([PURPOSE, VERSION, keyId, aad]), 'utf8');
}

class Keyring implements AccountNumberKeyring {
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  readonly development: boolean;

  constructor(keys: ParsedKey[], development: boolean) {
    const [current] = keys;
    if (!current) throw new ConfigError(`${PAYOUT_ACCOUNT_KEYS} has no key.`);
    // KeyObjects, not Buffers: they never print their bytes (logged config, util.inspect, JSON).
    this.#keys = new Map(keys.map(({ id, key }) => [id, createSecretKey(key)]));
    for (const { key } of keys) key.fill(0);
    this.currentKeyId = current.id;
    this.keyIds = Object.freeze(keys.map(({ id }) => id));
    this.development = development;
  }

  encrypt(plain: string, aad: string): string {
    if (typeof plain !== 'string' || plain === '') throw new TypeError('Only a non-empty string can be encrypted.');
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(keyId, aad));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, keyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(stored: string, aad: string): string {
    const { keyId, iv, tag, ciphertext } = parseStored(stored);
    const key = this.#keys.get(keyId);
    if (!key) throw new AccountNumberCryptoError(`The stored account number was encrypted with key "${keyId}", which is not in ${PAYOUT_ACCOUNT_KEYS}.`);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId, aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new AccountNumberCryptoError('The stored account number does not decrypt: it was altered, or it belongs to another row.');
    }
  }

  needsReencryption(stored: string): boolean {
    return parseStored(stored).keyId !== this.currentKeyId;
  }

  /** What a logged configuration shows: the key ids, never a key. */
  toJSON() {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds, development: this.development };
  }
}
