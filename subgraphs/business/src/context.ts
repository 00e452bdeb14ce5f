import type DataLoader from 'dataloader';
import type { Business, BusinessStore, Membership } from '@harbour/prisma/business';
import { loaderByKey, type SubgraphContext } from '@harbour/server';
import type { UserDirectory } from './staff/users';

export interface BusinessContext extends SubgraphContext {
  store: BusinessStore;
  /** Tells the outbox relay that events were committed. */
  eventsWritten: () => void;
  /** Who signed up with a phone number (the user subgraph's internal path). */
  users: UserDirectory;
  /** Businesses by id, one query per batch; made fresh for each request. */
  businesses: DataLoader<string, Business | null>;
  /** The caller's own membership in each business asked about (null for none); empty for non-users. */
  callerMemberships: DataLoader<string, Membership | null>;
}

export function businessContext(store: BusinessStore, deps: { eventsWritten?: () => void; users: UserDirectory }) {
  const eventsWritten = deps.eventsWritten ?? (() => undefined);
  return (base: SubgraphContext): BusinessContext => {
    const callerId = base.identity.kind === 'user' ? base.identity.userId : undefined;
    return {
      ...base,
      store,
      eventsWritten,
      users: deps.users,
      businesses: loaderByKey(
        (ids) => store.business.findMany({ where: { id: { in: [...ids] } } }),
        (business) => business.id,
      ),
      callerMemberships: loaderByKey(
        (businessIds) =>
          callerId ? store.membership.findMany({ where: { userId: callerId, businessId: { in: [...businessIds] } } }) : Promise.resolve([]),
        (membership) => membership.businessId,
      ),
    };
  };
}
