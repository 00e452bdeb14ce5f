import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '@harbour/errors';
import { InvalidAccessToken, revokedSessionKey, verifyAccessToken, type Identity, type TokenAudience } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import { createRemoteJWKSet } from 'jose';
import type { Redis } from 'ioredis';

export interface Authenticator {
  /** The caller: anonymous without a token; HTTP 401 UNAUTHENTICATED for a bad one, never anonymous. */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** As `authenticate`, with when the token expires (seconds since the epoch), for long-lived connections. */
  authenticateUntil(authorization: string | undefined): Promise<{ identity: Identity; expiresAt?: number }>;
  /** Has this session been revoked (logged out, refresh token reused)? */
  isRevoked(sessionId: string): Promise<boolean>;
  /** Have the token-signing keys been fetched at least once? (readiness) */
  keysAvailable(): Promise<boolean>;
}

export interface AuthenticatorOptions {
  jwksUrl: string;
  audience: TokenAudience;
  redis: Redis;
  redisKeyPrefix: string;
  logger: Logger;
}

const reject = () => unauthenticated('The access token is malformed, expired, revoked or not ours.', 401);

/**
 * Verifies bearer tokens against the user subgraph's JWKS (cached; a token
 * with an unknown `kid` makes one refetch, not one per request) and refuses
 * tokens of revoked sessions.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 2_000,
  });
  let keysSeen = false;

  async function isRevoked(sessionId: string): Promise<boolean> {
    try {
      return (await options.redis.exists(revokedSessionKey(options.redisKeyPrefix, sessionId))) === 1;
    } catch (error) {
      // Availability over a 15-minute window: with Redis down, revocations made meanwhile are not seen.
      options.logger.error({ err: error }, 'revocation check failed (Redis unavailable); token accepted on its signature');
      return false;
    }
  }

  async function authenticateUntil(authorization: string | undefined): Promise<{ identity: Identity; expiresAt?: number }> {
    if (authorization === undefined || authorization === '') return { identity: { kind: 'anonymous' } };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw reject();
    try {
      const claims = await verifyAccessToken(match[1]!, jwks, options.audience);
      keysSeen = true;
      if (await isRevoked(claims.sessionId)) throw new InvalidAccessToken('revoked');
      return { identity: { kind: 'user', userId: claims.userId, sessionId: claims.sessionId }, expiresAt: claims.expiresAt };
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
    async keysAvailable() {
      if (keysSeen) return true;
      try {
        await jwks.reload();
        keysSeen = true;
      } catch (error) {
        options.logger.warn({ err: error }, 'token-signing keys not available yet');
      }
      return keysSeen;
    },
  };
}

export function authorizationOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : undefined;
}
