import { forbidden } from '@harbour/errors';
import type { Business as StoredBusiness } from '@harbour/prisma/business';
import { requireUser } from '@harbour/server';
import type { BusinessContext } from '../context';

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
};
