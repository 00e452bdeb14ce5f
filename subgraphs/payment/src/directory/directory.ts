import { internalClient, InternalCallError } from '@harbour/server';
import { harbourError, ErrorCode } from '@harbour/errors';

export type BusinessRole = 'OWNER' | 'MANAGER' | 'CASHIER';

export interface BusinessProfile {
  id: string;
  name: string;
  city: string;
  merchantCategoryCode: string | null;
}

/**
 * What the payment subgraph must know fresh from its neighbours before it
 * acts (service-boundaries.md): a caller's role in a business and the
 * business's QR details (business subgraph), and that users exist with their
 * display names (user subgraph). Asked over their internal paths as the
 * `payment` service principal.
 */
export interface Directory {
  /** The business and the user's role in it (null: not a member); null when the business does not exist. */
  membership(businessId: string, userId: string, requestId?: string): Promise<{ business: BusinessProfile; role: BusinessRole | null } | null>;
  /** The business's QR details alone (a partner's API key acts for it: no member to ask about); null when it does not exist. */
  profile(businessId: string, requestId?: string): Promise<BusinessProfile | null>;
  /** The business's name and its OWNERs now; null when the business does not exist. */
  owners(businessId: string, requestId?: string): Promise<{ business: { id: string; name: string }; ownerUserIds: string[] } | null>;
  /** Display names of the users that exist among `ids`. */
  users(ids: string[], requestId?: string): Promise<Map<string, { id: string; displayName: string }>>;
}

export interface DirectoryOptions {
  businessUrl: string;
  userUrl: string;
  identitySecret: Uint8Array;
}

/** The owning subgraph is down: the operation cannot be decided safely, so it is refused. */
export function unavailable(error: InternalCallError) {
  return harbourError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${error.service} service is unavailable; try again.`, { serviceName: error.service });
}

export function httpDirectory(options: DirectoryOptions): Directory {
  const business = internalClient('business', options.businessUrl, { caller: 'payment', identitySecret: options.identitySecret });
  const user = internalClient('user', options.userUrl, { caller: 'payment', identitySecret: options.identitySecret });
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InternalCallError) throw unavailable(error);
      throw error;
    }
  };
  return {
    membership: (businessId, userId, requestId) =>
      guard(async () => {
        const answer = await business<{ business: BusinessProfile; role: BusinessRole | null }>('/internal/business-membership', { businessId, userId }, requestId);
        return answer.status === 404 ? null : answer.body;
      }),
    profile: (businessId, requestId) =>
      guard(async () => {
        // Without a userId the business subgraph answers the business and no role.
        const answer = await business<{ business: BusinessProfile }>('/internal/business-membership', { businessId }, requestId);
        return answer.status === 404 ? null : answer.body.business;
      }),
    owners: (businessId, requestId) =>
      guard(async () => {
        const answer = await business<{ business: { id: string; name: string }; ownerUserIds: string[] }>('/internal/business-owners', { businessId }, requestId);
        return answer.status === 404 ? null : answer.body;
      }),
    users: (ids, requestId) =>
      guard(async () => {
        const answer = await user<{ users: Array<{ id: string; displayName: string }> }>('/internal/users', { ids: [...new Set(ids)].join(',') }, requestId);
        return new Map(answer.body.users.map((found) => [found.id, found]));
      }),
  };
}
