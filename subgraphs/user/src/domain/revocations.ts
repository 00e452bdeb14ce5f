import { REVOCATION_TTL_SECONDS, revokedSessionKey, revokedSessionMessage, revokedSessionsChannel } from '@harbour/identity';
import type { Redis } from 'ioredis';

/**
 * Tells every gateway replica that a session's access tokens are no longer
 * good. The one way a revocation reaches the gateways (revokeSession calls
 * it for log-out, refresh-token reuse and any revocation added later).
 */
export interface SessionRevocations {
  announce(sessionId: string): Promise<void>;
}

export function redisSessionRevocations(redis: Redis, keyPrefix: string): SessionRevocations {
  return {
    async announce(sessionId) {
      // The key first: a gateway told on the channel, or checking on its own, then finds it.
      await redis.set(revokedSessionKey(keyPrefix, sessionId), '1', 'EX', REVOCATION_TTL_SECONDS);
      // Closes the session's open sockets now; a gateway that misses it finds the key at its periodic check.
      await redis.publish(revokedSessionsChannel(keyPrefix), revokedSessionMessage(sessionId));
    },
  };
}
