/**
 * Who holds which role in which business, kept from the business subgraph's
 * events (business.registered: the first OWNER; business.membership_changed:
 * every change since), so that "OWNER only" is decided here without asking
 * the business subgraph (service-boundaries.md: the user subgraph calls no
 * one). Events arrive within about a second of the change; a member removed
 * that recently may still be taken for one for that long.
 */
import type { KnownEvent } from '@harbour/events';
import type { BusinessRole, Prisma } from '@harbour/prisma/user';

export async function applyBusinessEvent(event: KnownEvent, tx: Prisma.TransactionClient): Promise<void> {
  switch (event.type) {
    case 'business.registered': {
      const { businessId, ownerUserId, registeredAt } = event.payload;
      await setRole(tx, businessId, ownerUserId, 'OWNER', new Date(registeredAt));
      return;
    }
    case 'business.membership_changed': {
      const { businessId, userId, role, changedAt } = event.payload;
      // A removal (role null) is kept as a row without a role.
      await setRole(tx, businessId, userId, role, new Date(changedAt));
      return;
    }
    default:
      return;
  }
}

async function setRole(tx: Prisma.TransactionClient, businessId: string, userId: string, role: BusinessRole | null, at: Date): Promise<void> {
  // Newer changes win (events of one business may arrive out of order): an older one arriving late leaves a newer role alone.
  await tx.$executeRaw`
    INSERT INTO business_roles (business_id, user_id, role, updated_at) VALUES (${businessId}, ${userId}, ${role}, ${at})
    ON DUPLICATE KEY UPDATE
      role = IF(VALUES(updated_at) >= updated_at, VALUES(role), role),
      updated_at = GREATEST(updated_at, VALUES(updated_at))`;
}

/** The caller's role in the business, as last told; null when none. */
export async function roleOf(store: Pick<Prisma.TransactionClient, 'businessRoleHolder'>, businessId: string, userId: string): Promise<BusinessRole | null> {
  const held = await store.businessRoleHolder.findUnique({ where: { businessId_userId: { businessId, userId } } });
  return held?.role ?? null;
}
