import { badUserInput, notFound } from '@harbour/errors';
import { isScope, SCOPES } from '@harbour/identity';
import type { UserStore } from '@harbour/prisma/user';
import { normalisePhone } from './phone';

export interface ScopeChange {
  /** A user id (`usr_…`) or a phone, in international form however it is written (`+852 9123 4567`). */
  user: string;
  scope: string;
}

/** The user a change names, by id or phone; NOT_FOUND when none. A scope outside the catalogue is BAD_USER_INPUT. */
export async function scopeTarget(store: UserStore, change: ScopeChange): Promise<{ userId: string; scope: string }> {
  if (!isScope(change.scope)) throw badUserInput(`Unknown scope "${change.scope}"; known: ${Object.keys(SCOPES).join(', ')}.`, 'scope');
  const phone = normalisePhone(change.user);
  const user = await store.user.findFirst({ where: phone ? { phone } : { id: change.user }, select: { id: true } });
  if (!user) throw notFound('User');
  return { userId: user.id, scope: change.scope };
}

/**
 * Grants a scope (idempotent). It reaches the user's access tokens at their
 * next log-in or refresh, so within 15 minutes.
 */
export async function grantScope(store: UserStore, change: ScopeChange, now = new Date()): Promise<{ userId: string; granted: boolean }> {
  const { userId, scope } = await scopeTarget(store, change);
  const { count } = await store.userScope.createMany({ data: [{ userId, scope, grantedAt: now }], skipDuplicates: true });
  return { userId, granted: count === 1 };
}
