import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyMode } from '@harbour/prisma/user';
import { DISPLAYED_PREFIX_LENGTH, SECRET_PREFIXES } from './rules';

/** 32 random bytes: 256 bits, as partners.md asks. */
const SECRET_BYTES = 32;

/**
 * A new key's secret: the mode's prefix and 256 random bits (base64url, 43
 * characters), e.g. `hk_test_4f2a…`.
 */
export function newSecret(mode: ApiKeyMode): { secret: string; prefix: string } {
  const secret = `${SECRET_PREFIXES[mode]}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, DISPLAYED_PREFIX_LENGTH) };
}

/**
 * How a secret is stored: HMAC-SHA256 under API_KEY_HASH_KEY, hex.
 *
 * A fast hash is right here, unlike for passwords (scrypt, domain/passwords.ts).
 * A slow hash exists to make guessing expensive when the secret is guessable;
 * a 256-bit random secret is not: 2^256 tries is out of reach at any speed, so
 * slowness would buy nothing and cost every token request tens of
 * milliseconds of CPU (and make the endpoint easier to overload). The key
 * (kept outside the database) means a copy of the table alone cannot even
 * confirm a leaked secret. Equal secrets hash equally, so the hash is also
 * the unique index a presented secret is looked up by.
 */
export function secretHash(secret: string, hashKey: Uint8Array): string {
  return createHmac('sha256', hashKey).update(secret, 'utf8').digest('hex');
}

/** Compares two stored hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
