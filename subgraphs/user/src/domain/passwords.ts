import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const KEY_LENGTH = 32;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends the same time as a verify, for an unknown phone, so timing does not tell which phones exist. */
  burn(password: string): Promise<void>;
}

/**
 * scrypt with N = 2^cost, r = 8, p = 1 (OWASP's minimum is 2^17 for
 * passwords alone; 2^15 is the default here for a 2-core machine, set by
 * PASSWORD_SCRYPT_COST). The stored form names its parameters, so the cost can
 * rise later without invalidating old hashes.
 */
export function scryptHasher(cost: number): PasswordHasher {
  const options = (N: number, r: number, p: number): ScryptOptions => ({ N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  const dummy = `scrypt$${2 ** cost}$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LENGTH).toString('base64url')}`;

  async function verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, options(Number(n), Number(r), Number(p)));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  return {
    async hash(password) {
      const N = 2 ** cost;
      const salt = randomBytes(16);
      const key = await scrypt(password, salt, KEY_LENGTH, options(N, 8, 1));
      return `scrypt$${N}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    verify,
    async burn(password) {
      await verify(password, dummy);
    },
  };
}
