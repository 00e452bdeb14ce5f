import { SignJWT, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, type SigningKey } from './signing-key';

/** Access tokens live 15 minutes (the contract). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface AccessTokenClaims {
  /** The token's `sub`: a user's id, or for a machine token its API key's id. */
  userId: string;
  /** The token's `sid`: the session to check for revocation (a machine token's is its API key's id). */
  sessionId: string;
  /** A machine token's business (its `biz` claim); undefined for a user's token. */
  businessId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** What the caller may do beyond being signed in (the OAuth `scope` claim), e.g. `schema:introspect`. */
  scopes: string[];
  /** How the user proved who they are (`amr`, RFC 8176): `["pwd","otp"]` on a staff token; empty on others. */
  amr: string[];
}

export interface TokenAudience {
  issuer: string;
  audience: string;
}

/** Signs an access token; `subject.scopes` become its space-separated `scope` claim (left out when none). */
export async function signAccessToken(
  subject: { userId: string; sessionId: string; scopes?: readonly string[]; amr?: readonly string[]; ttlSeconds?: number },
  key: SigningKey,
  audience: TokenAudience,
  now: Date = new Date(),
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const scope = subject.scopes?.length ? { scope: [...subject.scopes].sort().join(' ') } : {};
  const amr = subject.amr?.length ? { amr: [...subject.amr] } : {};
  return new SignJWT({ sid: subject.sessionId, ...scope, ...amr })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setSubject(subject.userId)
    .setIssuer(audience.issuer)
    .setAudience(audience.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (subject.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS))
    .sign(key.privateKey);
}

/**
 * Signs a machine token (partners.md: OAuth client credentials): `sub` and
 * `sid` are the API key's id — revoking the key is revoking the "session",
 * with the same announcement as a log-out — `biz` names the business and
 * `client_id` the key (RFC 9068 §2.2). Same keys, lifetime and audience as a
 * user's token, so the gateway verifies both alike.
 */
export async function signMachineToken(
  subject: { apiKeyId: string; businessId: string; scopes: readonly string[] },
  key: SigningKey,
  audience: TokenAudience,
  now: Date = new Date(),
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: subject.apiKeyId, biz: subject.businessId, client_id: subject.apiKeyId, scope: [...subject.scopes].sort().join(' ') })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setSubject(subject.apiKeyId)
    .setIssuer(audience.issuer)
    .setAudience(audience.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(key.privateKey);
}

/** Why a token was refused; logged, never shown to the client beyond "invalid". */
export class InvalidAccessToken extends Error {
  override name = 'InvalidAccessToken';
  constructor(readonly reason: 'malformed' | 'expired' | 'signature' | 'claims' | 'revoked' | 'unknown-key') {
    super(`Invalid access token (${reason}).`);
  }
}

/**
 * Verifies signature (ES256 only: `alg: none` and HMAC tricks are refused),
 * issuer, audience and expiry, and that the token names a session; a
 * machine token's `biz` must be a business id and its session its key.
 */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, audience: TokenAudience): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: audience.issuer,
      audience: audience.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.sid !== 'string' || !payload.sub || typeof payload.exp !== 'number') throw new InvalidAccessToken('claims');
    if (payload.scope !== undefined && typeof payload.scope !== 'string') throw new InvalidAccessToken('claims');
    if (payload.biz !== undefined && (typeof payload.biz !== 'string' || payload.biz === '' || payload.sid !== payload.sub)) throw new InvalidAccessToken('claims');
    if (payload.amr !== undefined && !(Array.isArray(payload.amr) && payload.amr.every((method) => typeof method === 'string'))) throw new InvalidAccessToken('claims');
    const scopes = payload.scope ? payload.scope.split(' ').filter(Boolean) : [];
    const amr = (payload.amr as string[] | undefined) ?? [];
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp, scopes, amr, ...(payload.biz !== undefined ? { businessId: payload.biz } : {}) };
  } catch (error) {
    if (error instanceof InvalidAccessToken) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidAccessToken('expired');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new InvalidAccessToken('signature');
    if (error instanceof joseErrors.JWKSNoMatchingKey) throw new InvalidAccessToken('unknown-key');
    if (error instanceof joseErrors.JWTClaimValidationFailed) throw new InvalidAccessToken('claims');
    if (error instanceof joseErrors.JOSEError) throw new InvalidAccessToken('malformed');
    throw error;
  }
}
