import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { NotificationStore } from '@harbour/prisma/notification';
import { createSubgraphServer, loadTypeDefs, storeReady } from '@harbour/server';
import { notificationContext, type NotificationContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface NotificationSubgraphDeps {
  store: NotificationStore;
  identitySecret: Uint8Array;
  logger: Logger;
}

/** The notification subgraph: what each user is told, and what they have read. */
export function buildNotificationSubgraph(deps: NotificationSubgraphDeps) {
  return createSubgraphServer<NotificationContext>({
    name: 'notification',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<NotificationContext>,
    extendContext: notificationContext(deps.store),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    ready: storeReady(deps.store),
  });
}
