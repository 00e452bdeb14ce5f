import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphName } from '@harbour/config';
import type { Logger } from '@harbour/logger';
import type { ReadReplica } from './read-replica';
import { loadTypeDefs, storeReady } from './schema-file';
import type { RouteHandler } from './http';
import type { SubgraphMetrics } from './observability';
import { createSubgraphServer, type RunningServer, type SubgraphContext } from './subgraph';

type Store = { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> };

export interface StoreSubgraphDeps<TStore extends Store> {
  store: TStore;
  identitySecret: Uint8Array;
  logger: Logger;
  /** Where reporting reads go, when a replica is configured. */
  replica?: ReadReplica<TStore>;
  /** Called after a transaction that wrote outbox events commits, so the relay publishes at once. */
  eventsWritten?: () => void;
  /** The process's series (runSubgraph's), served at `/metrics`. */
  metrics?: SubgraphMetrics;
}

export interface StoreSubgraphSpec<TStore extends Store, TContext extends SubgraphContext> {
  name: SubgraphName;
  /** The package folder holding `schema.graphql`. */
  packageRoot: string;
  resolvers: object;
  /** Builds the per-request context (fresh DataLoaders) over the store. */
  context: (store: TStore, deps: StoreSubgraphDeps<TStore>) => (base: SubgraphContext) => TContext;
  /** Plain routes besides GraphQL, e.g. the internal paths other subgraphs may call. */
  routes?: (deps: StoreSubgraphDeps<TStore>) => Record<string, RouteHandler>;
}

/**
 * The common shape of a subgraph whose only dependency is its own store:
 * returns the function that builds its server (used by `main.ts` and by
 * in-process tests alike).
 */
export function defineStoreSubgraph<TStore extends Store, TContext extends SubgraphContext>(
  spec: StoreSubgraphSpec<TStore, TContext>,
): (deps: StoreSubgraphDeps<TStore>) => RunningServer {
  const typeDefs = loadTypeDefs(spec.packageRoot);
  return (deps) =>
    createSubgraphServer<TContext>({
      name: spec.name,
      typeDefs,
      resolvers: spec.resolvers as GraphQLResolverMap<TContext>,
      extendContext: spec.context(deps.store, deps),
      identitySecret: deps.identitySecret,
      logger: deps.logger,
      ready: storeReady(deps.store),
      ...(spec.routes ? { routes: spec.routes(deps) } : {}),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    });
}
