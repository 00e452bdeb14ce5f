import { defineStoreSubgraph } from '@harbour/server';
import { socialContext } from './context';
import { resolvers } from './resolvers';

/**
 * The social subgraph: friendships, and businesses friends recommend by
 * paying there. Its server only; `startSocialEvents` (events/start.ts) runs
 * the consumer and the outbox relays beside it.
 */
export const buildSocialSubgraph = defineStoreSubgraph({ name: 'social', packageRoot: `${__dirname}/..`, resolvers, context: socialContext });
