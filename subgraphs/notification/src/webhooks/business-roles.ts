/**
 * Who holds which role in which business, kept from the business subgraph's
 * events (business.registered: the first OWNER; business.membership_changed:
 * every change since) in this subgraph's own store, inside the consumer's
 * transaction: webhook endpoints are OWNER only, and the OWNERs are told when
 * one is disabled, without asking the business subgraph (service-boundaries.md).
 * A change is known here about a second after it is made.
 */
import { forbidden, notFound } from '@harbour/errors';
import type { KnownEvent } from '@harbour/events';
import type { NotificationStore, Prisma } from '@harbour/prisma/notification';

type Reader = Pick<Prisma.TransactionClient, 'businessRoleHolder'>;

export async function applyBusinessEvent(event: KnownEvent, tx: Prisma.TransactionClient): Promise<void> {
  if (event.type === 'business.registered') {
    const { businessId, ownerUserId, registeredAt } = event.payload;
    await setRole(tx, businessId, ownerUserId, 'OWNER', new Date(registeredAt));
  } else if (event.type === 'business.membership_changed') {
    const { businessId, userId, role, changedAt } = event.payload;
    await setRole(tx, businessId, userId, role, new Date(changedAt));
  }
}

async function setRole(tx: Prisma.TransactionClient, businessId: string, userId: string, role: string | null, at: Date): Promise<void> {
  // Newer changes win: events of one business may arrive out of order, and an older one arriving late leaves a newer role alone.
  await tx.$executeRaw`
    INSERT INTO business_roles (business_id, user_id, role, updated_at) VALUES (${businessId}, ${userId}, ${role}, ${at})
    ON DUPLICATE KEY UPDATE
      role = IF(VALUES(updated_at) >= updated_at, VALUES(role), role),
      updated_at = GREATEST(updated_at, VALUES(updated_at))`;
}

/**
 * For an OWNER-only action on `businessId`'s webhooks: not a member →
 * NOT_FOUND as `what` (nothing of the business's webhooks is theirs to know
 * of), a member of another role → FORBIDDEN; as API keys do (user subgraph).
 */
export async function requireOwner(store: Reader, businessId: string, userId: string, what: string): Promise<void> {
  const held = await store.businessRoleHolder.findUnique({ where: { businessId_userId: { businessId, userId } } });
  if (!held?.role) throw notFound(what);
  if (held.role !== 'OWNER') throw forbidden("Only an OWNER can manage the business's webhooks.");
}

/** The business's OWNERs as last told (told when one of its endpoints is disabled). */
export async function ownersOf(store: Reader | NotificationStore, businessId: string): Promise<string[]> {
  const rows = await store.businessRoleHolder.findMany({ where: { businessId, role: 'OWNER' }, select: { userId: true }, orderBy: { userId: 'asc' } });
  return rows.map(({ userId }) => userId);
}
