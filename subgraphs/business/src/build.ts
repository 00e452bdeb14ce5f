import type { BusinessStore } from '@harbour/prisma/business';
import { defineStoreSubgraph, type StoreSubgraphDeps } from '@harbour/server';
import { userInternalUrl } from './config';
import { businessContext } from './context';
import { internalRoutes } from './internal';
import { resolvers } from './resolvers';
import { httpUserDirectory } from './staff/users';

/** The business subgraph: businesses, their staff (memberships and roles). */
export const buildBusinessSubgraph = defineStoreSubgraph({
  name: 'business',
  packageRoot: `${__dirname}/..`,
  resolvers,
  context: (store: BusinessStore, deps: StoreSubgraphDeps<BusinessStore>) => businessContext(store, { ...deps, users: httpUserDirectory({ userUrl: userInternalUrl(), identitySecret: deps.identitySecret }) }),
  routes: (deps) => internalRoutes(deps.store, deps.identitySecret),
});
