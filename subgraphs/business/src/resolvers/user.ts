import { requireSelf } from '@harbour/server';
import type { BusinessContext } from '../context';

/** The business subgraph's part of a User: the businesses they are a member of. */
export const User = {
  __resolveReference(reference: { id: string }) {
    return { id: reference.id };
  },
  async businesses(user: { id: string }, _args: unknown, context: BusinessContext) {
    requireSelf(context.identity, user.id);
    const memberships = await context.store.membership.findMany({
      where: { userId: user.id },
      include: { business: true },
      orderBy: [{ createdAt: 'desc' }, { businessId: 'desc' }],
    });
    for (const membership of memberships) {
      context.businesses.prime(membership.businessId, membership.business);
      context.callerMemberships.prime(membership.businessId, membership);
    }
    return memberships.map((membership) => membership.business);
  },
};
