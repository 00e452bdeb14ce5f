import type { Identity, Scope } from '@harbour/identity';
import type { Caller } from './enforce';

/** The scope that opens introspection where it is closed (production mode). */
export const INTROSPECTION_SCOPE: Scope = 'schema:introspect';

/** The caller as the rules see it, from a request's context (identity and token scopes). */
export function callerOf(context: { identity?: Identity; scopes?: readonly string[] }): Caller {
  return { authenticated: context.identity?.kind === 'user', scopes: new Set(context.scopes ?? []) };
}
