import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RouteHandler } from '@harbour/server';
import type { GraphQLSchema } from 'graphql';
import { loadExplorerAssets, packageVersion } from './assets';
import { explorerLandingPage, explorerPage } from './page';
import { schemaRoute } from './schema-route';

export { ASSETS_PATH } from './assets';

/** Where the public API schema is served as SDL. */
export const SCHEMA_PATH = '/schema.graphql';

export interface Explorer<TContext extends BaseContext> {
  /** `GET /schema.graphql` and the explorer's static files. */
  routes: Record<string, RouteHandler>;
  /** Renders the explorer for a browser's `GET /graphql`. */
  plugin: ApolloServerPlugin<TContext>;
}

/**
 * The schema explorer for partner integrators: GraphiQL, served entirely by
 * the gateway (no CDN, works offline), reading the schema from
 * `GET /schema.graphql` rather than by introspection.
 */
export function createExplorer<TContext extends BaseContext>(options: { graphqlPath: string; apiSchema: () => GraphQLSchema | undefined }): Explorer<TContext> {
  const assets = loadExplorerAssets();
  const html = explorerPage({ assets: assets.urls, graphqlPath: options.graphqlPath, schemaPath: SCHEMA_PATH, clientVersion: packageVersion('graphiql') });
  return {
    routes: { ...assets.routes, [`GET ${SCHEMA_PATH}`]: schemaRoute(options.apiSchema) },
    plugin: explorerLandingPage<TContext>(html),
  };
}
