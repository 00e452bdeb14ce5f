import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { Logger } from '@harbour/logger';
import {
  createHttpServer,
  errorMaskingPlugin,
  languageOf,
  listen,
  metricsRoute,
  requestIdOf,
  requestLogPlugin,
  requestSpanPlugin,
  traceGraphQLRequests,
  type RunningServer,
} from '@harbour/server';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { authorizationOf, createAuthenticator } from './auth';
import { authorizingGateway, callerOf, INTROSPECTION_SCOPE } from './authz';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { HarbourDataSource } from './data-source';
import { operationDocuments } from './documents';
import { installCompiledExecution, installOneOfIntrospection } from './execution';
import { createExplorer } from './explorer';
import { healthRoutes } from './health';
import { oauthRoutes } from './oauth';
import { operationLimitsPlugin, tokenPrecheck } from './limits/plugin';
import { CSRF_PREVENTION, drainable, httpHygiene } from './http-hygiene';
import { httpStatusPlugin } from './http-status';
import { CountingPlanCache, countErrorCode, metricsPlugin, requestTrace, type GatewayMetrics } from './observability';
import { GatewayRateLimit } from './rate-limit';
import { SubgraphClient, settingsFor } from './subgraph-client';
import { attachSubscriptions } from './subscriptions/server';
import { loadSupergraph } from './supergraph';

export interface GatewayDeps {
  config: GatewayConfig;
  redis: Redis;
  identitySecret: Uint8Array;
  logger: Logger;
  env?: Record<string, string | undefined>;
  /** The Prometheus series, served at `GET /metrics`; without them nothing is counted (in-process tests). */
  metrics?: GatewayMetrics;
}

/**
 * The gateway: the composed supergraph behind one endpoint, with the trust
 * boundary in front of it (bearer tokens verified here, identities signed for
 * the subgraphs, internal errors masked).
 */
export function buildGateway(deps: GatewayDeps): RunningServer {
  const { config, logger } = deps;
  installCompiledExecution();
  installOneOfIntrospection();
  const supergraph = loadSupergraph(config.supergraphPath, deps.env);
  const userSubgraph = supergraph.subgraphs.find((subgraph) => subgraph.name === 'user');
  const jwksUrl = config.jwksUrl ?? (userSubgraph ? new URL('/.well-known/jwks.json', userSubgraph.url).toString() : undefined);
  if (!jwksUrl) throw new Error('No user subgraph in the supergraph and no JWKS_URL: cannot verify tokens.');

  const authenticator = createAuthenticator({ jwksUrl, audience: config.jwt, redis: deps.redis, redisKeyPrefix: config.redisKeyPrefix, logger, metrics: deps.metrics });
  const rateLimit = new GatewayRateLimit({ redis: deps.redis, redisKeyPrefix: config.redisKeyPrefix, config: config.rateLimits, logger, metrics: deps.metrics });
  const documents = operationDocuments(config.documents, { redis: deps.redis, redisKeyPrefix: config.redisKeyPrefix, logger, metrics: deps.metrics });
  const checkTokens = tokenPrecheck(config.limits);
  const urls = new Map(supergraph.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const clients = new Map(
    supergraph.subgraphs.map(({ name, url }) => [
      name,
      new SubgraphClient({ ...settingsFor(config.subgraphClient, name), name, url, metrics: deps.metrics, logger }),
    ]),
  );
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.sdl,
    // Counts plan cache hits and misses.
    ...(deps.metrics ? { queryPlannerConfig: { cache: new CountingPlanCache(deps.metrics) } } : {}),
    buildService: ({ name, url }) => new HarbourDataSource({ name, url: urls.get(name) ?? url ?? '', client: clients.get(name) }, deps.identitySecret),
  });
  // console.md: partners see no staff field — /schema.graphql, the explorer and their introspection get the public schema.
  const { publicSchema } = supergraph;
  const explorer = createExplorer<GatewayContext>({ graphqlPath: '/graphql', apiSchema: () => (apiSchema ? publicSchema : undefined) });
  const apollo = new ApolloServer<GatewayContext>({
    // @authenticated, @requiresScopes and (in production) introspection, per field, before anything is planned.
    gateway: authorizingGateway(gateway, {
      rules: supergraph.accessRules,
      introspection: config.mode === 'production' ? { open: false, scope: INTROSPECTION_SCOPE } : { open: true },
      callerOf,
      publicSchema,
    }),
    // "Did you mean staffUser?" would advertise the staff surface to anyone who mistypes a field.
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // runService stops the whole process in order (drain, then close pools); Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
    logger,
    introspection: config.introspection,
    csrfPrevention: CSRF_PREVENTION,
    persistedQueries: { cache: documents.persistedQueryCache, ttl: config.documents.apqTtlSeconds },
    plugins: [
      errorMaskingPlugin<GatewayContext>(),
      httpStatusPlugin<GatewayContext>(),
      operationLimitsPlugin<GatewayContext>(config.limits),
      rateLimit.plugin(),
      explorer.plugin,
      requestSpanPlugin<GatewayContext>(),
      requestLogPlugin<GatewayContext>(),
      ...(deps.metrics ? [metricsPlugin<GatewayContext>(deps.metrics)] : []),
    ],
  });
  let started = false;
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => (apiSchema = loaded));
  let subscriptions: ReturnType<typeof attachSubscriptions> | undefined;

  const http = createHttpServer<GatewayContext>({
    apollo,
    bodyLimitBytes: config.bodyLimitBytes,
    // Tokens first, on the raw text (a hash-only request has none); then whether the operation is trusted.
    precheck: (request) => {
      checkTokens(request);
      documents.precheck(request);
    },
    onRequest: httpHygiene({ corsOrigins: config.corsOrigins, hsts: config.mode === 'production' }),
    routes: {
      ...explorer.routes,
      ...(userSubgraph
        ? oauthRoutes({
            userSubgraphUrl: userSubgraph.url,
            identitySecret: deps.identitySecret,
            publicUrl: config.publicUrl,
            issuer: config.jwt.issuer,
            rateLimit,
            publishedKeys: () => authenticator.publishedKeys(),
            logger,
          })
        : {}),
      ...(deps.metrics ? metricsRoute(deps.metrics.registry) : {}),
      ...healthRoutes({
        ready: async () => started && (await authenticator.keysAvailable()),
        subgraphs: supergraph.subgraphs,
        timeoutMs: config.healthTimeoutMs,
        circuits: () => Object.fromEntries([...clients.values()].map((client) => [client.name, client.circuitState])),
      }),
    },
    around: traceGraphQLRequests('/graphql'),
    onRefused: (code) => countErrorCode(deps.metrics, code),
    onError: (error) => logger.error({ err: error }, 'request failed'),
    context: async (req) => {
      const requestId = requestIdOf(req);
      const { identity, scopes } = await authenticator.authenticateUntil(authorizationOf(req));
      const trace = requestTrace(req);
      return { identity, scopes, requestId, trace, language: languageOf(req), logger: logger.child({ requestId, traceId: trace.traceId }), clientIp: rateLimit.clientIp(req) };
    },
  });

  const drain = drainable(http);

  return {
    http,
    async start(port, host) {
      await apollo.start();
      subscriptions = attachSubscriptions({
        httpServer: http,
        apollo,
        schema: () => apiSchema,
        authenticator,
        redisUrl: config.redisUrl,
        redisKeyPrefix: config.redisKeyPrefix,
        limits: config.limits,
        accessRules: supergraph.accessRules,
        documents,
        rateLimit,
        metrics: deps.metrics,
        logger,
        revocationCheckMs: config.subscriptionRevocationCheckMs,
      });
      started = true;
      const bound = await listen(http, port, host);
      logger.info({ port: bound, subgraphs: supergraph.subgraphs }, 'gateway listening');
      return bound;
    },
    async stop() {
      started = false;
      // Stops accepting at once; requests in flight finish while every subscription completes (1001).
      await Promise.all([drain.drain(config.drainTimeoutMs), subscriptions?.dispose()]);
      await apollo.stop();
      authenticator.close();
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}
