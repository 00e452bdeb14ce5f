import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphName } from '@harbour/config';
import { unauthenticated } from '@harbour/errors';
import { IDENTITY_HEADER, verifyIdentity, type Identity } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { DocumentNode } from 'graphql';
import { errorMaskingPlugin } from './errors-plugin';
import { close, createHttpServer, listen, sendJson, type RouteHandler } from './http';
import { createSubgraphMetrics, metricsRoute, requestSpanPlugin, subgraphMetricsPlugin, traceGraphQLRequests, type SubgraphMetrics } from './observability';
import { languageOf, requestLogFields, type Language } from './request';
import { requestLogPlugin } from './request-log';
import { wellFormedInputPlugin } from './well-formed-input';

/** What every subgraph resolver knows about the request. */
export interface SubgraphContext {
  identity: Identity;
  requestId: string;
  language: Language;
  logger: Logger;
}

export interface SubgraphServerOptions<TContext extends SubgraphContext> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  /** Adds the subgraph's own per-request parts (its store, fresh DataLoaders). */
  extendContext: (base: SubgraphContext) => TContext;
  identitySecret: Uint8Array;
  logger: Logger;
  /** Extra plain routes, e.g. the user subgraph's JWKS. */
  routes?: Record<string, RouteHandler>;
  /** Readiness: can this process serve (its database answers)? */
  ready?: () => Promise<boolean>;
  /** The process's series, served at `GET /metrics` (runSubgraph makes them; else the server makes its own). */
  metrics?: SubgraphMetrics;
}

export interface RunningServer {
  http: http.Server;
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * One Harbour subgraph: its federation schema on `/graphql`, health on
 * `/health/live` and `/health/ready`, Prometheus series on `/metrics`, and
 * each request in a span of the caller's trace (when tracing is started). Every GraphQL request must carry an
 * identity signed by the gateway or an internal caller; without one it gets
 * HTTP 401 UNAUTHENTICATED, whatever else it claims.
 */
export function createSubgraphServer<TContext extends SubgraphContext>(options: SubgraphServerOptions<TContext>): RunningServer {
  const metrics = options.metrics ?? createSubgraphMetrics(options.name, { defaultMetrics: false });
  const schema = buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers }]);
  const apollo = new ApolloServer<TContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // runService stops the whole process in order (drain, then close pools); Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
    logger: options.logger,
    // Inline traces feed Apollo Studio, which Harbour does not report to. No subgraph declares
    // @cacheControl, so every answer is uncacheable either way: without the plugin no resolver is
    // wrapped to collect hints (the gateway reads a missing Cache-Control as max-age 0, as it read no-store).
    plugins: [
      errorMaskingPlugin<TContext>(),
      requestLogPlugin<TContext>(),
      requestSpanPlugin<TContext>(),
      subgraphMetricsPlugin<TContext>(metrics),
      wellFormedInputPlugin<TContext>(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
    ],
  });

  const routes: Record<string, RouteHandler> = {
    'GET /health/live': (_req, res) => sendJson(res, 200, { status: 'live', service: options.name }),
    'GET /health/ready': async (_req, res) => {
      const ok = options.ready ? await options.ready().catch(() => false) : true;
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', service: options.name });
    },
    ...metricsRoute(metrics.registry),
    ...options.routes,
  };

  const server = createHttpServer<TContext>({
    apollo,
    routes,
    onError: (error) => options.logger.error({ err: error }, 'request failed'),
    around: traceGraphQLRequests('/graphql'),
    context: async (req) => {
      const fields = requestLogFields(req);
      const header = req.headers[IDENTITY_HEADER];
      const identity = await verifyIdentity(typeof header === 'string' ? header : undefined, options.identitySecret);
      if (!identity) {
        options.logger.warn({ ...fields, path: req.url }, 'request without a valid signed identity refused');
        throw unauthenticated('This service only answers requests signed by the gateway or an internal caller.', 401);
      }
      const logger = options.logger.child(fields);
      return options.extendContext({ identity, requestId: fields.requestId, language: languageOf(req), logger });
    },
  });

  return {
    http: server,
    async start(port, host) {
      await apollo.start();
      const bound = await listen(server, port, host);
      options.logger.info({ port: bound }, `${options.name} subgraph listening`);
      return bound;
    },
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
