import type { UserStore } from '@harbour/prisma/user';
import { internalRoute, sendJson, type RouteHandler } from '@harbour/server';
import { normalisePhone } from './domain/phone';

/**
 * What other subgraphs may ask (service-boundaries.md): the payment subgraph,
 * that users exist and their display names; the business subgraph, who signed
 * up with a phone number (adding a member by phone, merchant.md).
 */
export interface UsersAnswer {
  users: Array<{ id: string; displayName: string }>;
}

/** The user who signed up with a phone number; 404 when nobody did, 400 when it is not a phone number. */
export interface UserByPhoneAnswer {
  user: { id: string; displayName: string };
}

const MAX_IDS = 100;

export function internalRoutes(store: UserStore, identitySecret: Uint8Array): Record<string, RouteHandler> {
  return {
    'GET /internal/users': internalRoute(identitySecret, ['payment'], async (query, res) => {
      const ids = (query.get('ids') ?? '').split(',').filter(Boolean);
      if (ids.length === 0 || ids.length > MAX_IDS) return sendJson(res, 400, { error: `ids: 1 to ${MAX_IDS} user ids` });
      const users = await store.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } });
      const answer: UsersAnswer = { users };
      sendJson(res, 200, answer);
    }),
    // The number is normalised here, by its owner, exactly as signUp stored it (any spelling of it finds the account).
    'GET /internal/user-by-phone': internalRoute(identitySecret, ['business'], async (query, res) => {
      const phone = normalisePhone(query.get('phone') ?? '');
      if (!phone) return sendJson(res, 400, { error: 'BAD_USER_INPUT' });
      const user = await store.user.findUnique({ where: { phone }, select: { id: true, displayName: true } });
      if (!user) return sendJson(res, 404, { error: 'NOT_FOUND' });
      const answer: UserByPhoneAnswer = { user };
      sendJson(res, 200, answer);
    }),
  };
}
