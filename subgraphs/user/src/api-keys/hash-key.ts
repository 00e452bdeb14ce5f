import { randomBytes } from 'node:crypto';
import { ConfigError, type CommonConfig } from '@harbour/config';
import { readOrCreateLocalSecret } from '@harbour/identity';

type Env = Record<string, string | undefined>;

/**
 * API_KEY_HASH_KEY: the key of the secrets' HMAC (secrets.ts), base64 of at
 * least 32 bytes. Required in production (a Key Vault secret, like the
 * others); in sandbox mode made once in HARBOUR_DATA_DIR. Changing it makes
 * every existing key unusable: a rotation means issuing new keys.
 */
export function loadApiKeyHashKey(config: CommonConfig, env: Env = process.env): Uint8Array {
  const fromEnv = env.API_KEY_HASH_KEY?.trim();
  const text = fromEnv || (config.mode === 'production' ? undefined : readOrCreateLocalSecret(config.dataDir, 'api-key-hash-key', () => randomBytes(32).toString('base64')));
  if (!text) throw new ConfigError('API_KEY_HASH_KEY is required in production mode (base64 of 32 random bytes).');
  const key = Buffer.from(text, 'base64');
  if (key.length < 32) throw new ConfigError('API_KEY_HASH_KEY is malformed: base64 of at least 32 bytes.');
  return new Uint8Array(key);
}
