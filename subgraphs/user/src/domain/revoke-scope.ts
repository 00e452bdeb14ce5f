import type { UserStore } from '@harbour/prisma/user';
import { scopeTarget, type ScopeChange } from './grant-scope';

/**
 * Revokes a scope (idempotent). Tokens already issued keep it until they
 * expire (15 minutes); revoke the user's sessions too for an immediate stop.
 */
export async function revokeScope(store: UserStore, change: ScopeChange): Promise<{ userId: string; revoked: boolean }> {
  const { userId, scope } = await scopeTarget(store, change);
  const { count } = await store.userScope.deleteMany({ where: { userId, scope } });
  return { userId, revoked: count === 1 };
}
