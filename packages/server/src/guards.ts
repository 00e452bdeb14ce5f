import type { Identity } from '@harbour/identity';
import { forbidden, unauthenticated } from '@harbour/errors';

/** The signed-in user's id, or UNAUTHENTICATED. */
export function requireUser(identity: Identity): { userId: string; sessionId: string } {
  if (identity.kind !== 'user') throw unauthenticated();
  return { userId: identity.userId, sessionId: identity.sessionId };
}

/** True when the caller is the user `userId` (the only one who sees that user's private fields). */
export function isSelf(identity: Identity, userId: string): boolean {
  return identity.kind === 'user' && identity.userId === userId;
}

/**
 * For a private field of `userId`: anonymous callers get UNAUTHENTICATED,
 * anyone else FORBIDDEN.
 */
export function requireSelf(identity: Identity, userId: string): string {
  const { userId: caller } = requireUser(identity);
  if (caller !== userId) throw forbidden("Only the user themself can see this field.");
  return caller;
}

/** For the internal paths service-boundaries.md allows: only the named services may call. */
export function requireService(identity: Identity, allowed: readonly string[]): string {
  if (identity.kind !== 'service' || !allowed.includes(identity.service)) throw forbidden('This is an internal query.');
  return identity.service;
}
