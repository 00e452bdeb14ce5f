import { ACCESS_TOKEN_TTL_SECONDS } from './access-token';

/**
 * Revoked sessions are announced in Redis under `<prefix>revoked-session:<sid>`
 * for as long as any access token of theirs could still be valid; the gateway
 * refuses tokens whose session is listed. The durable record is the user
 * store's `sessions.revoked_at`.
 */
export const revokedSessionKey = (prefix: string, sessionId: string) => `${prefix}revoked-session:${sessionId}`;

/** Access tokens live 15 minutes; a minute more covers clock skew. */
export const REVOCATION_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;
