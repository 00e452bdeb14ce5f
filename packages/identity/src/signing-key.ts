import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError, type CommonConfig } from '@harbour/config';
import type { JWK } from 'jose';
import { readOrCreateLocalSecret } from './local-secrets';

export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** The user subgraph's key for signing access tokens. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

type Env = Record<string, string | undefined>;

/**
 * `JWT_PRIVATE_KEY` (a PKCS#8 PEM of a P-256 key) with `JWT_KEY_ID`; in
 * sandbox mode without them, a key pair generated once and kept in
 * `<dataDir>/jwt-signing-key.json`. Production refuses to start without them.
 */
export function loadSigningKey(config: CommonConfig, env: Env = process.env): SigningKey {
  const pem = env.JWT_PRIVATE_KEY;
  if (pem) {
    const kid = env.JWT_KEY_ID;
    if (!kid) throw new ConfigError('JWT_KEY_ID is required when JWT_PRIVATE_KEY is set.');
    return fromPem(pem.replace(/\\n/g, '\n'), kid, 'JWT_PRIVATE_KEY');
  }
  if (config.mode === 'production') throw new ConfigError('JWT_PRIVATE_KEY is required in production mode.');
  const stored = readOrCreateLocalSecret(config.dataDir, 'jwt-signing-key.json', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = `local-${randomBytes(6).toString('hex')}`;
    return JSON.stringify({ kid, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
  });
  const { kid, pem: localPem } = JSON.parse(stored) as { kid: string; pem: string };
  return fromPem(localPem, kid, `${config.dataDir}/jwt-signing-key.json`);
}

function fromPem(pem: string, kid: string, source: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${source} is malformed: expected a PKCS#8 PEM private key.`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError(`${source} is malformed: expected a P-256 (ES256) key.`);
  }
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * The JWKS document the user subgraph serves. `JWT_PREVIOUS_PUBLIC_JWKS` (a
 * JWKS JSON) keeps retired keys verifiable while their tokens live out.
 */
export function publicJwks(key: SigningKey, env: Env = process.env): { keys: JWK[] } {
  const current = { ...(key.publicKey.export({ format: 'jwk' }) as JWK), kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  const previous = env.JWT_PREVIOUS_PUBLIC_JWKS ? (JSON.parse(env.JWT_PREVIOUS_PUBLIC_JWKS) as { keys: JWK[] }).keys : [];
  return { keys: [current, ...previous.filter((jwk) => jwk.kid !== key.kid)] };
}
