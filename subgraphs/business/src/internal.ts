import type { BusinessStore } from '@harbour/prisma/business';
import { internalRoute, sendJson, type RouteHandler } from '@harbour/server';

/** What the payment subgraph may ask (service-boundaries.md): a user's role in a business, its QR details, and its OWNERs. */
export interface BusinessMembershipAnswer {
  business: { id: string; name: string; city: string; merchantCategoryCode: string | null };
  role: 'OWNER' | 'MANAGER' | 'CASHIER' | null;
}

export interface BusinessOwnersAnswer {
  business: { id: string; name: string };
  ownerUserIds: string[];
}

export function internalRoutes(store: BusinessStore, identitySecret: Uint8Array): Record<string, RouteHandler> {
  return {
    'GET /internal/business-membership': internalRoute(identitySecret, ['payment'], async (query, res) => {
      const businessId = query.get('businessId') ?? '';
      const userId = query.get('userId') ?? '';
      const business = businessId ? await store.business.findUnique({ where: { id: businessId } }) : null;
      if (!business) return sendJson(res, 404, { error: 'NOT_FOUND' });
      const membership = userId ? await store.membership.findUnique({ where: { businessId_userId: { businessId, userId } } }) : null;
      const answer: BusinessMembershipAnswer = {
        business: { id: business.id, name: business.name, city: business.city, merchantCategoryCode: business.merchantCategoryCode },
        role: membership?.role ?? null,
      };
      sendJson(res, 200, answer);
    }),
    // Money out (money-out.md): every OWNER is told of a payout account change and of each payout, by the events that name them.
    'GET /internal/business-owners': internalRoute(identitySecret, ['payment'], async (query, res) => {
      const businessId = query.get('businessId') ?? '';
      const business = businessId ? await store.business.findUnique({ where: { id: businessId }, select: { id: true, name: true } }) : null;
      if (!business) return sendJson(res, 404, { error: 'NOT_FOUND' });
      const owners = await store.membership.findMany({ where: { businessId, role: 'OWNER' }, select: { userId: true }, orderBy: { userId: 'asc' } });
      const answer: BusinessOwnersAnswer = { business, ownerUserIds: owners.map((owner) => owner.userId) };
      sendJson(res, 200, answer);
    }),
  };
}
