import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '@harbour/errors';
import { createRemoteKeySet, InvalidAccessToken, revokedSessionKey, verifyAccessToken, type Identity, type TokenAudience } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { GatewayMetrics } from './observability/metrics';
import { RedisOutage } from './redis-outage';

export interface Authenticator {
  /** The caller: anonymous without a token; HTTP 401 UNAUTHENTICATED for a bad one, never anonymous. */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** As `authenticate`, with when the token expires (seconds since the epoch), for long-lived connections. */
  authenticateUntil(authorization: string | undefined): Promise<AuthenticatedCaller>;
  /** Has this session been revoked (logged out, refresh token reused)? */
  isRevoked(sessionId: string): Promise<boolean>;
  /** Have the token-signing keys been fetched at least once? (readiness) */
  keysAvailable(): Promise<boolean>;
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
}

const reject = () => unauthenticated('The access token is malformed, expired, revoked or not ours.', 401);

/**
 * Verifies bearer tokens against the user subgraph's JWKS (held in memory; a
 * token with an unknown `kid` makes one refetch, shared, not one per request:
 * see createRemoteKeySet) and refuses tokens of revoked sessions.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const jwks = createRemoteKeySet({
    url: options.jwksUrl,
    onFetchError: (error) => options.logger.warn({ err: error }, 'token-signing keys could not be fetched'),
  });
  // Counted per check, logged once in a while: an outage under load would otherwise log every request.
  const outage = new RedisOutage({ component: 'revocation', logger: options.logger, metrics: options.metrics });

  async function isRevoked(sessionId: string): Promise<boolean> {
    try {
      const revoked = (await options.redis.exists(revokedSessionKey(options.redisKeyPrefix, sessionId))) === 1;
      outage.succeeded();
      return revoked;
    } catch (error) {
      // Availability over a 15-minute window: with Redis down, revocations made meanwhile are not seen (tokens are accepted on their signature).
      outage.failed(error);
      return false;
    }
  }

  async function authenticateUntil(authorization: string | undefined): Promise<AuthenticatedCaller> {
    if (authorization === undefined || authorization === '') return { identity: { kind: 'anonymous' }, scopes: [] };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw reject();
    try {
      const claims = await verifyAccessToken(match[1]!, jwks.getKey, options.audience);
      if (await isRevoked(claims.sessionId)) throw new InvalidAccessToken('revoked');
      return { identity: { kind: 'user', userId: claims.userId, sessionId: claims.sessionId }, scopes: claims.scopes, expiresAt: claims.expiresAt };
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
  };
}

export function authorizationOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : undefined;
}
