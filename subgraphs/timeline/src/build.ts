import { defineStoreSubgraph } from '@harbour/server';
import { timelineContext } from './context';
import { resolvers } from './resolvers';

/** The timeline subgraph: each user's feed of what happened to their money. */
export const buildTimelineSubgraph = defineStoreSubgraph({ name: 'timeline', packageRoot: `${__dirname}/..`, resolvers, context: timelineContext });
