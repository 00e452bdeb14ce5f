import { ACCESS_TOKEN_TTL_SECONDS } from './access-token';

/**
 * Revoked sessions are announced in Redis under `<prefix>revoked-session:<sid>`
 * for as long as any access token of theirs could still be valid; the gateway
 * refuses tokens whose session is listed. The durable record is the user
 * store's `sessions.revoked_at`.
 */
export const revokedSessionKey = (prefix: string, sessionId: string) => `${prefix}revoked-session:${sessionId}`;

/**
 * Each revocation is also published on `<prefix>revoked-sessions`, so every
 * gateway replica closes the session's open sockets at once rather than at
 * its next periodic check. A message is JSON `{"id": "<session id>"}`: the
 * shape of every live message the gateway listens for, and a session is
 * revoked once, so its id is the change's id.
 */
export const revokedSessionsChannel = (prefix: string) => `${prefix}revoked-sessions`;

export const revokedSessionMessage = (sessionId: string) => JSON.stringify({ id: sessionId });

/** Access tokens live 15 minutes; a minute more covers clock skew. */
export const REVOCATION_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;
