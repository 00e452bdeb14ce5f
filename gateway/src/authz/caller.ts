import type { Identity, Scope } from '@harbour/identity';
import type { Caller } from './enforce';

/** The scope that opens introspection where it is closed (production mode). */
export const INTROSPECTION_SCOPE: Scope = 'schema:introspect';

/**
 * The caller as the rules see it, from a request's context (identity and
 * token scopes). A machine token is authenticated too: a user-only field
 * then reaches its subgraph, which refuses it FORBIDDEN (partners.md), not
 * UNAUTHENTICATED as if no token had been sent.
 */
export function callerOf(context: { identity?: Identity; scopes?: readonly string[] }): Caller {
  const kind = context.identity?.kind;
  return { authenticated: kind === 'user' || kind === 'machine', scopes: new Set(context.scopes ?? []) };
}
