import { requireSelf } from '@harbour/server';
import type { BusinessContext } from '../context';
import { membershipsOfUser } from '../store/memberships-of-user';

/** The business subgraph's part of a User: the businesses they are a member of. */
export const User = {
  __resolveReference(reference: { id: string }) {
    return { id: reference.id };
  },
  async businesses(user: { id: string }, _args: unknown, context: BusinessContext) {
    requireSelf(context.identity, user.id);
    const memberships = await membershipsOfUser(context.store, user.id);
    for (const membership of memberships) {
      context.businesses.prime(membership.businessId, membership.business);
      context.callerMemberships.prime(membership.businessId, membership);
    }
    return memberships.map((membership) => membership.business);
  },
};
