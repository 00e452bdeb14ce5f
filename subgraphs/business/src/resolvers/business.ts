import { forbidden } from '@harbour/errors';
import type { Business as StoredBusiness, Membership } from '@harbour/prisma/business';
import { requireUser } from '@harbour/server';
import type { BusinessContext } from '../context';
import { shopQrOf } from '../shop-qr';
import { listMembers } from '../staff/members';

export const Business = {
  __resolveReference(reference: { id: string }, context: BusinessContext) {
    return context.businesses.load(reference.id);
  },
  owner(business: StoredBusiness) {
    return { __typename: 'User', id: business.ownerId };
  },
  async role(business: StoredBusiness, _args: unknown, context: BusinessContext) {
    requireUser(context.identity);
    const membership = await context.callerMemberships.load(business.id);
    if (!membership) throw forbidden('Only members of this business can see their role.');
    return membership.role;
  },
  async shopQr(business: StoredBusiness, _args: unknown, context: BusinessContext) {
    requireUser(context.identity);
    if (!(await context.callerMemberships.load(business.id))) throw forbidden('Only members of this business can see its QR code.');
    return shopQrOf(business);
  },
  async members(business: StoredBusiness, args: { first: number; after?: string | null }, context: BusinessContext) {
    requireUser(context.identity);
    return listMembers(context.store, await context.callerMemberships.load(business.id), business.id, args);
  },
};

/** A membership as the contract shows it: `joinedAt`, the user by reference, the business. */
export const BusinessMember = {
  joinedAt: (membership: Membership) => membership.createdAt,
  user: (membership: Membership) => ({ __typename: 'User', id: membership.userId }),
  business: (membership: Membership, _args: unknown, context: BusinessContext) => context.businesses.load(membership.businessId),
};
