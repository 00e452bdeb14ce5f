import { signAccessToken } from '@harbour/identity';
import type { Prisma } from '@harbour/prisma/user';
import { newId } from '@harbour/server';
import type { UserServices } from '../services';
import { grantedScopes } from './granted-scopes';
import { hashRefreshToken, newRefreshToken } from './tokens';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/** Opens a session for a user who has just proved who they are, inside the caller's transaction. */
export async function startSession(tx: Prisma.TransactionClient, services: UserServices, userId: string, now = new Date()): Promise<SessionTokens> {
  const sessionId = newId('session');
  const refreshToken = newRefreshToken();
  await tx.session.create({
    data: {
      id: sessionId,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + services.sessionTtlSeconds * 1000),
      refreshTokens: { create: { id: newId('refreshToken'), tokenHash: hashRefreshToken(refreshToken), createdAt: now } },
    },
  });
  const scopes = await grantedScopes(tx, userId);
  const accessToken = await signAccessToken({ userId, sessionId, scopes }, services.signingKeys.current(), services.tokenAudience, now);
  return { accessToken, refreshToken };
}
