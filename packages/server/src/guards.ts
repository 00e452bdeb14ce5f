import type { Identity } from '@harbour/identity';
import { forbidden, missingScopes, unauthenticated } from '@harbour/errors';

/** The signed-in user's id; a machine token gets FORBIDDEN (partners.md: nothing user-shaped for it), anyone else UNAUTHENTICATED. */
export function requireUser(identity: Identity): { userId: string; sessionId: string } {
  if (identity.kind === 'machine') throw forbidden('This field is for a signed-in user, not a machine token.');
  if (identity.kind !== 'user') throw unauthenticated();
  return { userId: identity.userId, sessionId: identity.sessionId };
}

export type MachineIdentity = Extract<Identity, { kind: 'machine' }>;

/** A machine token asked about a business other than its own (partners.md: FORBIDDEN). */
export const notOwnBusiness = () => forbidden('A machine token acts for its own business only.');

/**
 * For a field a machine token may use (partners.md): its own business only
 * (any other → FORBIDDEN), and the scope the field needs (missing →
 * FORBIDDEN with `extensions.requiredScopes`).
 */
export function requireMachineAccess(identity: MachineIdentity, businessId: string, scope: string, what: string): MachineIdentity {
  if (identity.businessId !== businessId) throw notOwnBusiness();
  if (!identity.scopes.includes(scope)) throw missingScopes([scope], what);
  return identity;
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

/** A staff member acting through a staff token (console.md), with the staff scopes that token carries. */
export interface StaffCaller {
  userId: string;
  sessionId: string;
  staffScopes: string[];
}

/**
 * console.md: every staff field needs a staff token with its scope. No token →
 * UNAUTHENTICATED; a machine token, an ordinary token or a staff token
 * without the scope → FORBIDDEN naming the scope (`extensions.requiredScopes`).
 */
export function requireStaff(identity: Identity, scope: string, what: string): StaffCaller {
  if (identity.kind === 'anonymous') throw unauthenticated();
  if (identity.kind !== 'user' || !identity.staffScopes?.includes(scope)) throw missingScopes([scope], what);
  return { userId: identity.userId, sessionId: identity.sessionId, staffScopes: identity.staffScopes };
}
