import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ConfigError, type CommonConfig, type SubgraphName } from '@harbour/config';
import { readOrCreateLocalSecret } from './local-secrets';

/**
 * Who a request to a subgraph is for, as the gateway (or an internal caller)
 * vouches for it: an anonymous client, a signed-in user, a partner's server
 * with a machine token (API key `apiKeyId` of business `businessId`, allowed
 * `scopes`), or a service principal making one of the internal calls
 * service-boundaries.md allows.
 */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; sessionId: string; staffScopes?: string[] }
  | { kind: 'machine'; apiKeyId: string; businessId: string; scopes: string[] }
  | { kind: 'service'; service: SubgraphName | 'gateway' };

/** The header that carries the signed identity from the gateway to a subgraph. */
export const IDENTITY_HEADER = 'x-harbour-identity';

const ISSUER = 'harbour-internal';
const AUDIENCE = 'harbour-subgraph';
/** Long enough for one request's fetches; short enough that a leaked header is soon useless. */
const IDENTITY_TTL_SECONDS = 60;
/**
 * A signed identity is reused for this long: every use leaves it at least
 * 30 seconds to live, more than any request's fetches take (the longest
 * subgraph deadline is 10 seconds).
 */
const REUSE_SECONDS = 30;
const MIN_SECRET_LENGTH = 32;
/** Signed and verified identities kept per secret; the oldest goes first. */
const CACHE_ENTRIES = 10_000;
/** base64url of `{"alg":"HS256"}`: the only header signed or accepted. */
const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

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

/**
 * The forwarded identity is a compact JWS (HS256) that any JWT library
 * verifies, made and checked here with node:crypto: it is on every subgraph
 * request, and both ends cache it. The gateway signs an identity once per
 * {@link REUSE_SECONDS}; a subgraph checks a header's signature once, then
 * only its expiry. The verified cache is keyed by the whole header text,
 * signature included, per secret, so nothing unverified is ever taken from it.
 */
interface SecretState {
  key: KeyObject;
  signed: Map<string, { token: string; issuedAt: number }>;
  verified: Map<string, { identity: Identity; expiresAt: number }>;
}

const secrets = new WeakMap<Uint8Array, SecretState>();

function stateOf(secret: Uint8Array): SecretState {
  let state = secrets.get(secret);
  if (!state) {
    state = { key: createSecretKey(secret), signed: new Map(), verified: new Map() };
    secrets.set(secret, state);
  }
  return state;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

function hs256(key: KeyObject, signingInput: string): Buffer {
  return createHmac('sha256', key).update(signingInput).digest();
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Signs an identity for one hop (HS256, valid 60 seconds, reused for 30). */
export async function signIdentity(identity: Identity, secret: Uint8Array, issuedBy: string): Promise<string> {
  const state = stateOf(secret);
  const now = nowSeconds();
  const cacheKey = `${issuedBy}\u0000${JSON.stringify(identity)}`;
  const cached = state.signed.get(cacheKey);
  if (cached && now - cached.issuedAt < REUSE_SECONDS && cached.issuedAt <= now) return cached.token;
  const claims = { identity, by: issuedBy, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + IDENTITY_TTL_SECONDS };
  const signingInput = `${HS256_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const token = `${signingInput}.${hs256(state.key, signingInput).toString('base64url')}`;
  remember(state.signed, cacheKey, { token, issuedAt: now });
  return token;
}

/** The identity a request carries, or null when the header is missing, forged, expired or malformed. */
export async function verifyIdentity(token: string | undefined, secret: Uint8Array): Promise<Identity | null> {
  if (!token) return null;
  const state = stateOf(secret);
  const now = nowSeconds();
  const cached = state.verified.get(token);
  if (cached) return cached.expiresAt > now ? cached.identity : null;
  const verified = verifySignedIdentity(token, state.key, now);
  if (verified) remember(state.verified, token, verified);
  return verified && verified.expiresAt > now ? verified.identity : null;
}

function verifySignedIdentity(token: string, key: KeyObject, now: number): { identity: Identity; expiresAt: number } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  let claims: Record<string, unknown>;
  try {
    if (!isHs256Header(header)) return null;
    const expected = hs256(key, `${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    claims = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const audience = claims.aud;
  if (claims.iss !== ISSUER || !(audience === AUDIENCE || (Array.isArray(audience) && audience.includes(AUDIENCE)))) return null;
  if (typeof claims.exp !== 'number' || (claims.iat !== undefined && typeof claims.iat !== 'number')) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
  const identity = parseIdentity(claims.identity);
  return identity ? { identity, expiresAt: claims.exp } : null;
}

/** `{"alg":"HS256"}`, or the same with `typ: "JWT"`: anything else (another algorithm, `crit`, `b64`) is refused. */
function isHs256Header(encoded: string): boolean {
  if (encoded === HS256_HEADER) return true;
  const header: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  if (typeof header !== 'object' || header === null) return false;
  const { alg, typ, ...rest } = header as Record<string, unknown>;
  return alg === 'HS256' && (typ === undefined || typ === 'JWT') && Object.keys(rest).length === 0;
}

function parseIdentity(value: unknown): Identity | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  switch (candidate.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'user':
      if (typeof candidate.userId !== 'string' || typeof candidate.sessionId !== 'string') return null;
      if (candidate.staffScopes === undefined) return { kind: 'user', userId: candidate.userId, sessionId: candidate.sessionId };
      return Array.isArray(candidate.staffScopes) && candidate.staffScopes.every((scope) => typeof scope === 'string')
        ? { kind: 'user', userId: candidate.userId, sessionId: candidate.sessionId, staffScopes: candidate.staffScopes as string[] }
        : null;
    case 'machine':
      return typeof candidate.apiKeyId === 'string' &&
        typeof candidate.businessId === 'string' &&
        Array.isArray(candidate.scopes) &&
        candidate.scopes.every((scope) => typeof scope === 'string')
        ? { kind: 'machine', apiKeyId: candidate.apiKeyId, businessId: candidate.businessId, scopes: candidate.scopes as string[] }
        : null;
    case 'service':
      return typeof candidate.service === 'string' ? { kind: 'service', service: candidate.service as SubgraphName } : null;
    default:
      return null;
  }
}
