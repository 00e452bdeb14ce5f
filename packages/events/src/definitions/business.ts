/** Events the business subgraph writes to its outbox (aggregate `business`/businessId). */
import { z } from 'zod';
import { defineEvent } from './define';
import { businessName, businessRole, id, timestamp } from './fields';

/** A user registered a business and became its first OWNER (no separate membership event for that). */
export const businessRegistered = defineEvent(
  'business.registered',
  1,
  z.object({
    businessId: id,
    name: businessName,
    city: z.string().min(1).max(15),
    merchantCategoryCode: z.string().regex(/^[0-9]{4}$/).nullable(),
    ownerUserId: id,
    registeredAt: timestamp,
  }),
);

/**
 * Someone's membership of a business was added, changed role, or removed.
 * `role` is the role after the change (null once removed), `previousRole`
 * the one before (null when added).
 */
export const businessMembershipChanged = defineEvent(
  'business.membership_changed',
  1,
  z
    .object({
      businessId: id,
      businessName,
      userId: id,
      change: z.enum(['ADDED', 'ROLE_CHANGED', 'REMOVED']),
      role: businessRole.nullable(),
      previousRole: businessRole.nullable(),
      changedByUserId: id,
      changedAt: timestamp,
    })
    .refine(
      ({ change, role, previousRole }) =>
        change === 'ADDED'
          ? role !== null && previousRole === null
          : change === 'REMOVED'
            ? role === null && previousRole !== null
            : role !== null && previousRole !== null && role !== previousRole,
      { message: 'role and previousRole do not match the change', path: ['change'] },
    ),
);

/**
 * console.md: staff froze or unfroze a business. While frozen it cannot take
 * or pay out money; the payment subgraph drops its cached answer on this
 * event, and every OWNER named here is told. `reason` is the staff's
 * reason, kept for the audit trail, never shown to the merchant.
 */
export const businessFreezeChanged = defineEvent(
  'business.freeze_changed',
  1,
  z.object({
    businessId: id,
    businessName,
    frozen: z.boolean(),
    ownerUserIds: z.array(id).max(1000),
    changedByUserId: id,
    changedAt: timestamp,
  }),
);
