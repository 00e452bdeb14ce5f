import { REVOCATION_TTL_SECONDS, revokedSessionKey } from '@harbour/identity';
import type { Redis } from 'ioredis';

/** Tells every gateway replica that a session's access tokens are no longer good. */
export interface SessionRevocations {
  announce(sessionId: string): Promise<void>;
}

export function redisSessionRevocations(redis: Redis, keyPrefix: string): SessionRevocations {
  return {
    async announce(sessionId) {
      await redis.set(revokedSessionKey(keyPrefix, sessionId), '1', 'EX', REVOCATION_TTL_SECONDS);
    },
  };
}
