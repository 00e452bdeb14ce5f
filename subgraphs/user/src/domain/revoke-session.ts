import type { UserServices } from '../services';

export type RevocationReason = 'LOGGED_OUT' | 'REFRESH_TOKEN_REUSED';

/**
 * Ends a session for good: recorded in the store first (the durable truth),
 * then announced to the gateways. Every revocation comes through here (a
 * reason added later too), so every one closes the session's open sockets.
 * Announcing again for a session already revoked is harmless, so a retried
 * log-out repairs a lost announcement.
 */
export async function revokeSession(services: UserServices, sessionId: string, reason: RevocationReason, now = new Date()): Promise<void> {
  await services.store.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
  await services.revocations.announce(sessionId);
}
