import { randomBytes } from 'node:crypto';
import { ConfigError, type CommonConfig, type SubgraphName } from '@harbour/config';
import { SignJWT, jwtVerify } from 'jose';
import { readOrCreateLocalSecret } from './local-secrets';

/**
 * Who a request to a subgraph is for, as the gateway (or an internal caller)
 * vouches for it: an anonymous client, a signed-in user, or a service
 * principal making one of the internal calls service-boundaries.md allows.
 */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; sessionId: string }
  | { kind: 'service'; service: SubgraphName | 'gateway' };

/** The header that carries the signed identity from the gateway to a subgraph. */
export const IDENTITY_HEADER = 'x-harbour-identity';

const ISSUER = 'harbour-internal';
const AUDIENCE = 'harbour-subgraph';
/** Long enough for one request's fetches; short enough that a leaked header is soon useless. */
const IDENTITY_TTL_SECONDS = 60;
const MIN_SECRET_LENGTH = 32;

type Env = Record<string, string | undefined>;

/**
 * The secret shared by the gateway and the subgraphs: `INTERNAL_IDENTITY_SECRET`
 * (at least 32 characters); in sandbox mode without it, one generated once in
 * `<dataDir>/internal-identity-secret`.
 */
export function loadIdentitySecret(config: CommonConfig, env: Env = process.env): Uint8Array {
  const fromEnv = env.INTERNAL_IDENTITY_SECRET;
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH) throw new ConfigError(`INTERNAL_IDENTITY_SECRET is malformed: at least ${MIN_SECRET_LENGTH} characters.`);
    return new TextEncoder().encode(fromEnv);
  }
  if (config.mode === 'production') throw new ConfigError('INTERNAL_IDENTITY_SECRET is required in production mode.');
  const local = readOrCreateLocalSecret(config.dataDir, 'internal-identity-secret', () => randomBytes(48).toString('base64url'));
  return new TextEncoder().encode(local);
}

/** Signs an identity for one hop (HS256, 60 seconds). */
export async function signIdentity(identity: Identity, secret: Uint8Array, issuedBy: string): Promise<string> {
  return new SignJWT({ identity, by: issuedBy })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
    .sign(secret);
}

/** The identity a request carries, or null when the header is missing, forged, expired or malformed. */
export async function verifyIdentity(token: string | undefined, secret: Uint8Array): Promise<Identity | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    return parseIdentity(payload.identity);
  } catch {
    return null;
  }
}

function parseIdentity(value: unknown): Identity | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  switch (candidate.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'user':
      return typeof candidate.userId === 'string' && typeof candidate.sessionId === 'string'
        ? { kind: 'user', userId: candidate.userId, sessionId: candidate.sessionId }
        : null;
    case 'service':
      return typeof candidate.service === 'string' ? { kind: 'service', service: candidate.service as SubgraphName } : null;
    default:
      return null;
  }
}
