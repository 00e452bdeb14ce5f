import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { TimelineStore } from '@harbour/prisma/timeline';
import { createSubgraphServer, loadTypeDefs, storeReady } from '@harbour/server';
import { timelineContext, type TimelineContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface TimelineSubgraphDeps {
  store: TimelineStore;
  identitySecret: Uint8Array;
  logger: Logger;
}

/** The timeline subgraph: each user's feed of what happened to their money. */
export function buildTimelineSubgraph(deps: TimelineSubgraphDeps) {
  return createSubgraphServer<TimelineContext>({
    name: 'timeline',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<TimelineContext>,
    extendContext: timelineContext(deps.store),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    ready: storeReady(deps.store),
  });
}
