/**
 * Webhook signing secrets, encrypted at rest. They sign every delivery
 * (HMAC), so they must be read back and cannot be hashed like API keys:
 * AES-256-GCM with keys from the environment (in production from Key Vault
 * through it), never from the database. The same scheme as the payment
 * subgraph's payout account numbers (subgraphs/payment/src/payouts/
 * account-number-crypto.ts), which cannot be imported across subgraphs.
 *
 * `WEBHOOK_SECRET_KEYS` = comma-separated `keyId:base64key` (32 random
 * bytes each, `openssl rand -base64 32`); the FIRST encrypts, the others
 * only decrypt rows written before a rotation of the key. Without it,
 * production mode refuses to start; sandbox mode uses a public development
 * key (the same on every machine), which protects nothing.
 *
 * Stored form: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), bound
 * to its endpoint's id, so a ciphertext copied to another row does not
 * decrypt. No message here contains a key, a secret or a ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError, type Mode } from '@harbour/config';

export const WEBHOOK_SECRET_KEYS = 'WEBHOOK_SECRET_KEYS';

const ALGORITHM = 'aes-256-gcm';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const PURPOSE = 'harbour.webhook-secret';
const developmentKey = () => createHash('sha256').update('harbour/webhook-secret/development-key/v1').digest();

export class WebhookSecretCryptoError extends Error {
  override name = 'WebhookSecretCryptoError';
}

export interface WebhookSecretKeyring {
  readonly development: boolean;
  /** `secret` encrypted with the current key, for the endpoint `endpointId`. */
  encrypt(secret: string, endpointId: string): string;
  decrypt(stored: string, endpointId: string): string;
}

export function webhookSecretKeyring(env: Record<string, string | undefined>, mode: Mode): WebhookSecretKeyring {
  const value = env[WEBHOOK_SECRET_KEYS]?.trim();
  if (!value) {
    if (mode === 'production') throw new ConfigError(`${WEBHOOK_SECRET_KEYS} is required in production mode.`);
    return new Keyring([['dev', developmentKey()]], true);
  }
  const keys = value.split(',').map((entry, index): [string, Buffer] => {
    const [id = '', encoded = '', ...rest] = entry.trim().split(':');
    if (!KEY_ID.test(id) || rest.length) throw new ConfigError(`${WEBHOOK_SECRET_KEYS} is malformed: entry ${index + 1} is not keyId:base64key.`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || key.toString('base64') !== encoded) throw new ConfigError(`${WEBHOOK_SECRET_KEYS} is malformed: key "${id}" is not 32 bytes of base64.`);
    if (mode === 'production' && key.equals(developmentKey())) throw new ConfigError(`${WEBHOOK_SECRET_KEYS} is malformed: key "${id}" is the public development key.`);
    return [id, key];
  });
  if (new Set(keys.map(([id]) => id)).size !== keys.length) throw new ConfigError(`${WEBHOOK_SECRET_KEYS} is malformed: a key id appears twice.`);
  return new Keyring(keys, false);
}

class Keyring implements WebhookSecretKeyring {
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly #current: string;

  constructor(
    keys: Array<[string, Buffer]>,
    readonly development: boolean,
  ) {
    this.#keys = new Map(keys.map(([id, key]) => [id, createSecretKey(key)]));
    this.#current = keys[0]![0];
  }

  encrypt(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(this.#current)!, iv);
    cipher.setAAD(aad(this.#current, endpointId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', this.#current, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(stored: string, endpointId: string): string {
    const [version, keyId = '', iv = '', tag = '', ciphertext = '', ...rest] = stored.split('.');
    if (version !== 'v1' || rest.length) throw new WebhookSecretCryptoError('The stored webhook secret is malformed.');
    const key = this.#keys.get(keyId);
    if (!key) throw new WebhookSecretCryptoError(`The stored webhook secret was encrypted with key "${keyId}", which is not in ${WEBHOOK_SECRET_KEYS}.`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(keyId, endpointId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new WebhookSecretCryptoError('The stored webhook secret does not decrypt: it was altered, or it belongs to another endpoint.');
    }
  }

  toJSON() {
    return { keyIds: [...this.#keys.keys()], development: this.development };
  }
}

const aad = (keyId: string, endpointId: string) => Buffer.from(JSON.stringify([PURPOSE, 'v1', keyId, endpointId]), 'utf8');
