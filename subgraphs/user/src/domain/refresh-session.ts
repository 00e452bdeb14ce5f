import { unauthenticated } from '@harbour/errors';
import { signAccessToken } from '@harbour/identity';
import { newId } from '@harbour/server';
import type { UserServices } from '../services';
import { revokeSession } from './revoke-session';
import type { SessionTokens } from './start-session';
import { grantedScopes } from './granted-scopes';
import { hashRefreshToken, newRefreshToken } from './tokens';

const refused = () => unauthenticated('The refresh token is not valid; sign in again.');

/**
 * Rotates a refresh token: the one given is spent and a new one issued. A
 * token presented after it was spent means it was copied: the whole session
 * is revoked, so neither the thief nor the owner can go on with it.
 */
export async function refreshSession(services: UserServices, refreshToken: string, now = new Date()): Promise<SessionTokens> {
  if (!refreshToken.startsWith('rt_') || refreshToken.length > 100) throw refused();
  const stored = await services.store.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    include: { session: true },
  });
  if (!stored) throw refused();
  const { session } = stored;
  if (session.revokedAt || session.expiresAt <= now) throw refused();
  if (stored.spentAt) {
    await revokeSession(services, session.id, 'REFRESH_TOKEN_REUSED', now);
    throw refused();
  }

  const next = newRefreshToken();
  const rotated = await services.store.$transaction(async (tx) => {
    // Only one of two concurrent refreshes with the same token can spend it.
    const spent = await tx.refreshToken.updateMany({ where: { id: stored.id, spentAt: null }, data: { spentAt: now } });
    if (spent.count !== 1) return false;
    await tx.refreshToken.create({ data: { id: newId('refreshToken'), sessionId: session.id, tokenHash: hashRefreshToken(next), createdAt: now } });
    return true;
  });
  if (!rotated) {
    await revokeSession(services, session.id, 'REFRESH_TOKEN_REUSED', now);
    throw refused();
  }
  // Scopes are read again at each refresh: a grant or a revocation takes effect within one access token's life.
  const scopes = await grantedScopes(services.store, session.userId);
  const accessToken = await signAccessToken({ userId: session.userId, sessionId: session.id, scopes }, services.signingKeys.current(), services.tokenAudience, now);
  return { accessToken, refreshToken: next };
}
