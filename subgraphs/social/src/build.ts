import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { SocialStore } from '@harbour/prisma/social';
import { createSubgraphServer, loadTypeDefs, storeReady } from '@harbour/server';
import { socialContext, type SocialContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface SocialSubgraphDeps {
  store: SocialStore;
  identitySecret: Uint8Array;
  logger: Logger;
}

/** The social subgraph: friendships, and businesses friends recommend by paying there. */
export function buildSocialSubgraph(deps: SocialSubgraphDeps) {
  return createSubgraphServer<SocialContext>({
    name: 'social',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<SocialContext>,
    extendContext: socialContext(deps.store),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    ready: storeReady(deps.store),
  });
}
