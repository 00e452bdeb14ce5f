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
