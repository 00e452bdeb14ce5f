/**
 * The scopes an access token may carry (its `scope` claim), granted per user
 * in the user store. The supergraph's `@requiresScopes` names them; granting
 * refuses a name not listed here, so a typo cannot grant nothing silently.
 */
export const SCOPES = {
  /** Introspection (`__schema`, `__type`) in production mode, where it is off for everyone else. */
  'schema:introspect': 'introspect the schema in production mode',
  /** The operations dashboard's ledger checks (`Query.ledgerHealth`). */
  'ledger:audit': "read the ledger's invariant checks (operations staff)",
  /** console.md: look things up across all tenants (`staffSearch`, `staffUser`, `platformStats`, ...). */
  'staff:read': 'read any user, business and payment (support and risk staff)',
  /** console.md: freeze and unfreeze wallets and businesses, revoke sessions, set fee rates. */
  'staff:act': 'act on any user or business, with a reason (support and risk staff)',
  /** console.md: read the staff audit log (`staffAuditLog`). */
  'staff:audit': "read the staff audit log (compliance)",
} as const;

/** A scope Harbour knows. */
export type Scope = keyof typeof SCOPES;

/** Is this a scope of the catalogue? */
export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/**
 * What an API key (partners.md) may be allowed, and nothing else: the scopes
 * of machine tokens. Kept apart from SCOPES — a key can never be granted
 * introspection or the ledger's checks, and a user's grant never these.
 */
export const PARTNER_SCOPES = ['payment_requests:write', 'payment_requests:read', 'payments:read', 'refunds:write', 'payment_links:write', 'statements:read'] as const;

/** A scope an API key may carry. */
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

export const isPartnerScope = (value: string): value is PartnerScope => (PARTNER_SCOPES as readonly string[]).includes(value);

/**
 * The staff scopes (console.md): granted like any scope, but carried only by
 * a staff access token (`verifyStaffTotp`: 10 minutes, `amr` pwd + otp),
 * never by a user's ordinary token.
 */
export const STAFF_SCOPES = ['staff:read', 'staff:act', 'staff:audit'] as const;

/** A staff scope (console.md). */
export type StaffScope = (typeof STAFF_SCOPES)[number];

export const isStaffScope = (value: string): value is StaffScope => (STAFF_SCOPES as readonly string[]).includes(value);

/** The authentication methods (`amr`, RFC 8176) a staff token must show: a password and a one-time code. */
export const STAFF_AMR = ['pwd', 'otp'] as const;

/** Lifetime of a staff access token (console.md). */
export const STAFF_TOKEN_TTL_SECONDS = 10 * 60;

/**
 * The staff scopes a token may use: only a staff token's (amr shows both
 * factors); a staff scope in any other token is ignored, never honoured.
 */
export function usableStaffScopes(claims: { scopes: readonly string[]; amr: readonly string[] }): StaffScope[] {
  if (!STAFF_AMR.every((method) => claims.amr.includes(method))) return [];
  return claims.scopes.filter(isStaffScope);
}

/** The token's scopes as the gateway honours them: staff scopes dropped unless the token is a staff token. */
export function usableScopes(claims: { scopes: readonly string[]; amr: readonly string[] }): string[] {
  const staff = new Set<string>(usableStaffScopes(claims));
  return claims.scopes.filter((scope) => !isStaffScope(scope) || staff.has(scope));
}
