import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { BusinessStore } from '@harbour/prisma/business';
import { createSubgraphServer, loadTypeDefs, storeReady } from '@harbour/server';
import { businessContext, type BusinessContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface BusinessSubgraphDeps {
  store: BusinessStore;
  identitySecret: Uint8Array;
  logger: Logger;
}

/** The business subgraph: businesses and their memberships. */
export function buildBusinessSubgraph(deps: BusinessSubgraphDeps) {
  return createSubgraphServer<BusinessContext>({
    name: 'business',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<BusinessContext>,
    extendContext: businessContext(deps.store),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    ready: storeReady(deps.store),
  });
}
