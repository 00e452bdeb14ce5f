import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '@harbour/errors';
import {
  createRemoteKeySet,
  InvalidAccessToken,
  revokedSessionKey,
  verifyAccessToken,
  type AccessTokenClaims,
  type Identity,
  type TokenAudience,
  usableScopes,
  usableStaffScopes,
} from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { GatewayMetrics } from './observability/metrics';
import { RedisOutage } from './redis-outage';
import { RevocationWatch } from './revocation-watch';

export interface Authenticator {
  /** The caller: anonymous without a token; HTTP 401 UNAUTHENTICATED for a bad one, never anonymous. */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** As `authenticate`, with when the token expires (seconds since the epoch), for long-lived connections. */
  authenticateUntil(authorization: string | undefined): Promise<AuthenticatedCaller>;
  /** Has this session been revoked (logged out, refresh token reused)? */
  isRevoked(sessionId: string): Promise<boolean>;
  /** Have the token-signing keys been fetched at least once? (readiness) */
  keysAvailable(): Promise<boolean>;
  /** The token-signing public keys as last fetched, republished at the gateway's JWKS for partners. */
  publishedKeys(): { keys: unknown[] } | undefined;
  /** Closes the revocation watch's connection. */
  close(): void;
}

/** Who is calling, what their token lets them do, and until when. */
export interface AuthenticatedCaller {
  identity: Identity;
  /** The token's scopes (none for an anonymous caller). */
  scopes: string[];
  /** When the token expires (seconds since the epoch). */
  expiresAt?: number;
}

export interface AuthenticatorOptions {
  jwksUrl: string;
  audience: TokenAudience;
  redis: Redis;
  redisKeyPrefix: string;
  logger: Logger;
  metrics?: GatewayMetrics | undefined;
  /** After this the token-signing keys are fetched again (default 10 min; see createRemoteKeySet). */
  keysMaxAgeMs?: number;
}

/** Verified tokens remembered (the oldest goes first): a mobile app sends the same token for up to 15 minutes. */
const VERIFIED_TOKENS = 20_000;

const reject = () => unauthenticated('The access token is malformed, expired, revoked or not ours.', 401);

/**
 * Verifies bearer tokens against the user subgraph's JWKS (held in memory; a
 * token with an unknown `kid` makes one refetch, shared, not one per request:
 * see createRemoteKeySet) and refuses tokens of revoked sessions.
 *
 * A token's signature and claims are checked once: the verified token (the
 * whole text, signature included) is remembered with its claims and the key
 * that signed it. Every request still checks its expiry, that the key is
 * still published (a withdrawn key stops its tokens at the next key fetch,
 * as without the memory) and that its session is not revoked: in Redis, or
 * from the RevocationWatch's memory, which Redis clears the moment a
 * revocation is written.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const jwks = createRemoteKeySet({
    url: options.jwksUrl,
    ...(options.keysMaxAgeMs !== undefined ? { maxAgeMs: options.keysMaxAgeMs } : {}),
    onFetchError: (error) => options.logger.warn({ err: error }, 'token-signing keys could not be fetched'),
  });
  const verified = new Map<string, { claims: AccessTokenClaims; kid: string | undefined }>();

  async function verify(token: string): Promise<AccessTokenClaims> {
    const known = verified.get(token);
    if (known) {
      if (known.claims.expiresAt <= Math.floor(Date.now() / 1000)) throw new InvalidAccessToken('expired');
      if (jwks.holds(known.kid)) return known.claims;
      verified.delete(token);
    }
    const claims = await verifyAccessToken(token, jwks.getKey, options.audience);
    if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims, kid: keyIdOf(token) });
    return claims;
  }
  // Counted per check, logged once in a while: an outage under load would otherwise log every request.
  const outage = new RedisOutage({ component: 'revocation', logger: options.logger, metrics: options.metrics });
  const watch = new RevocationWatch(options.redis, revokedSessionKey(options.redisKeyPrefix, ''), options.logger);
  const checks = options.metrics?.revocationChecks;
  const answered = { remembered: checks?.labels({ answer: 'remembered' }), redis: checks?.labels({ answer: 'redis' }), failedOpen: checks?.labels({ answer: 'failed_open' }) };
  if (options.metrics) options.metrics.revocationWatching.isWatching = () => watch.isWatching;

  async function isRevoked(sessionId: string): Promise<boolean> {
    if (watch.knowsNotRevoked(sessionId)) {
      answered.remembered?.inc();
      return false;
    }
    const mark = watch.mark;
    try {
      const revoked = (await options.redis.exists(revokedSessionKey(options.redisKeyPrefix, sessionId))) === 1;
      outage.succeeded();
      answered.redis?.inc();
      if (!revoked) watch.remember(sessionId, mark);
      return revoked;
    } catch (error) {
      // Availability over a 15-minute window: with Redis down, revocations made meanwhile are not seen (tokens are accepted on their signature).
      outage.failed(error);
      answered.failedOpen?.inc();
      return false;
    }
  }

  async function authenticateUntil(authorization: string | undefined): Promise<AuthenticatedCaller> {
    if (authorization === undefined || authorization === '') return { identity: { kind: 'anonymous' }, scopes: [] };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw reject();
    try {
      const claims = await verify(match[1]!);
      // A machine token's session is its API key: revoking the key is announced like a log-out.
      if (await isRevoked(claims.sessionId)) throw new InvalidAccessToken('revoked');
      // console.md: staff scopes count only in a staff token (both factors shown); anywhere else they are dropped.
      const staffScopes = usableStaffScopes(claims);
      const identity: Identity =
        claims.businessId !== undefined
          ? { kind: 'machine', apiKeyId: claims.userId, businessId: claims.businessId, scopes: claims.scopes }
          : { kind: 'user', userId: claims.userId, sessionId: claims.sessionId, ...(staffScopes.length ? { staffScopes } : {}) };
      return { identity, scopes: usableScopes(claims), expiresAt: claims.expiresAt };
    } catch (error) {
      if (error instanceof InvalidAccessToken) {
        options.logger.info({ reason: error.reason }, 'access token refused');
        throw reject();
      }
      throw error;
    }
  }

  return {
    authenticateUntil,
    isRevoked,
    async authenticate(authorization) {
      return (await authenticateUntil(authorization)).identity;
    },
    keysAvailable: () => jwks.ensureLoaded(),
    publishedKeys: () => jwks.published(),
    close: () => watch.close(),
  };
}

/** The `kid` of a token that has just verified (so its header is well-formed JSON). */
function keyIdOf(token: string): string | undefined {
  const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown };
  return typeof header.kid === 'string' ? header.kid : undefined;
}

export function authorizationOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : undefined;
}
