import type { UserStore } from '@harbour/prisma/user';
import { internalRoute, sendJson, type RouteHandler } from '@harbour/server';

/** What the payment subgraph may ask (service-boundaries.md): that users exist, and their display names. */
export interface UsersAnswer {
  users: Array<{ id: string; displayName: string }>;
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
  };
}
