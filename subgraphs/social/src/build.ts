import { defineStoreSubgraph } from '@harbour/server';
import { socialContext } from './context';
import { resolvers } from './resolvers';

/** The social subgraph: friendships, and businesses friends recommend by paying there. */
export const buildSocialSubgraph = defineStoreSubgraph({ name: 'social', packageRoot: `${__dirname}/..`, resolvers, context: socialContext });
