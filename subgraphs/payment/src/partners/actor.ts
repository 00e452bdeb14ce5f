/**
 * Partners (contract part 4, partners.md): what a machine token may do in
 * the payment subgraph, in one place. A partner's server acts for one
 * business with an API key's scopes; each business operation that accepts
 * it names the scope it needs here, and the domain functions take an
 * {@link Actor} — a member or a key — instead of a user id.
 */
import { missingScopes, notFound, unauthenticated } from '@harbour/errors';
import type { Identity, PartnerScope } from '@harbour/identity';
import { notOwnBusiness } from '@harbour/server';
import type { BusinessProfile, BusinessRole } from '../directory/directory';
import type { PaymentServices } from '../services';

/** The scope each operation a machine token may use needs (partners.md); anything not listed is refused to machine tokens. */
export const MACHINE_SCOPES = {
  createPaymentRequest: 'payment_requests:write',
  cancelPaymentRequest: 'payment_requests:write',
  paymentRequest: 'payment_requests:read',
  payment: 'payments:read',
  'Business.payments': 'payments:read',
  refundPayment: 'refunds:write',
  createPaymentLink: 'payment_links:write',
  requestStatement: 'statements:read',
  statement: 'statements:read',
} as const satisfies Record<string, PartnerScope>;

export type MachineOperation = keyof typeof MACHINE_SCOPES;

/** Who does something for a business: a signed-in member, or a partner's server with one of the business's API keys. */
export type Actor = { kind: 'member'; userId: string } | { kind: 'apiKey'; apiKeyId: string; businessId: string };

/** A member's role in the business, or `API_KEY` for a key of that business allowed the operation. */
export type Standing = BusinessRole | 'API_KEY';

/**
 * The actor of a business operation: a user as they are (their role is
 * checked against the business by {@link standingOf}), a machine token only
 * with the operation's scope (FORBIDDEN with `requiredScopes` otherwise).
 */
export function actorOf(identity: Identity, operation: MachineOperation): Actor {
  if (identity.kind === 'user') return { kind: 'member', userId: identity.userId };
  if (identity.kind === 'machine') {
    const scope = MACHINE_SCOPES[operation];
    if (!identity.scopes.includes(scope)) throw missingScopes([scope], operation);
    return { kind: 'apiKey', apiKeyId: identity.apiKeyId, businessId: identity.businessId };
  }
  throw unauthenticated();
}

/**
 * The business as the business subgraph says now, and the actor's standing
 * in it: a member's role (null when not a member), or `API_KEY` for a key of
 * this business — a key of another business is FORBIDDEN (partners.md).
 * Null when the business does not exist.
 */
export async function standingOf(
  services: PaymentServices,
  actor: Actor,
  businessId: string,
  requestId?: string,
): Promise<{ business: BusinessProfile; role: Standing | null } | null> {
  if (actor.kind === 'member') return services.directory.membership(businessId, actor.userId, requestId);
  if (actor.businessId !== businessId) throw notOwnBusiness();
  const business = await services.directory.profile(businessId, requestId);
  if (!business) throw notFound('Business');
  return { business, role: 'API_KEY' };
}

/** The columns that say who made a row: exactly one of them is set. */
export const madeBy = (actor: Actor) =>
  actor.kind === 'member' ? { createdByUserId: actor.userId, createdByApiKeyId: null } : { createdByUserId: null, createdByApiKeyId: actor.apiKeyId };

/** Whose idempotency keys these are: a member's own, or the key's (ids never collide: `usr_` / `key_`). */
export const idempotencyCallerOf = (actor: Actor): string => (actor.kind === 'member' ? actor.userId : actor.apiKeyId);

/** The actor's user id, when a member acts (for a CASHIER's own-rows rule and the events' `…ByUserId`). */
export const userIdOf = (actor: Actor): string | null => (actor.kind === 'member' ? actor.userId : null);
