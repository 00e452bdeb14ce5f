import { defineStoreSubgraph } from '@harbour/server';
import { businessContext } from './context';
import { internalRoutes } from './internal';
import { resolvers } from './resolvers';

/** The business subgraph: businesses and their memberships. */
export const buildBusinessSubgraph = defineStoreSubgraph({
  name: 'business',
  packageRoot: `${__dirname}/..`,
  resolvers,
  context: businessContext,
  routes: (deps) => internalRoutes(deps.store, deps.identitySecret),
});
