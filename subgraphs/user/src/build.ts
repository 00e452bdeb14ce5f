import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { CommonConfig } from '@harbour/config';
import type { SigningKeys } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { UserStore } from '@harbour/prisma/user';
import { createSubgraphServer, gatewayRoute, loadTypeDefs, sendJson, storeReady, type SubgraphMetrics } from '@harbour/server';
import type { Redis } from 'ioredis';
import { loadApiKeyHashKey } from './api-keys/hash-key';
import { issueMachineToken, parseTokenRequest } from './api-keys/issue-token';
import { keyModeOf } from './api-keys/rules';
import { userContext, type UserContext } from './context';
import { DEFAULT_LOGIN_FAILURE_LIMIT, redisLoginFailures, type LoginFailureLimit } from './domain/login-failures';
import { scryptHasher } from './domain/passwords';
import { redisSessionRevocations } from './domain/revocations';
import { internalRoutes } from './internal';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface UserSubgraphDeps {
  config: CommonConfig;
  store: UserStore;
  redis: Redis;
  signingKeys: SigningKeys;
  identitySecret: Uint8Array;
  logger: Logger;
  /** log2 of scrypt's N (default 15). */
  passwordCost?: number;
  sessionTtlSeconds?: number;
  /** Wrong passwords allowed per phone number per window (default 10 in 15 minutes). */
  loginFailureLimit?: LoginFailureLimit;
  /** Called after a transaction that wrote outbox events commits (the relay's wake-up). */
  eventsWritten?: () => void;
  /** The process's series (runSubgraph's), served at `/metrics`. */
  metrics?: SubgraphMetrics;
  /** API_KEY_HASH_KEY (default: loadApiKeyHashKey from the environment). */
  apiKeyHashKey?: Uint8Array;
}

/** The user subgraph, ready to listen: identity, sessions, and the JWKS the gateway verifies tokens with. */
export function buildUserSubgraph(deps: UserSubgraphDeps) {
  const services = {
    store: deps.store,
    passwords: scryptHasher(deps.passwordCost ?? 15),
    signingKeys: deps.signingKeys,
    tokenAudience: deps.config.jwt,
    revocations: redisSessionRevocations(deps.redis, deps.config.redisKeyPrefix),
    loginFailures: redisLoginFailures(deps.redis, deps.config.redisKeyPrefix, deps.loginFailureLimit ?? DEFAULT_LOGIN_FAILURE_LIMIT, deps.logger),
    sessionTtlSeconds: deps.sessionTtlSeconds ?? 30 * 24 * 3600,
    eventsWritten: deps.eventsWritten ?? (() => undefined),
    apiKeys: { mode: keyModeOf(deps.config.mode), hashKey: deps.apiKeyHashKey ?? loadApiKeyHashKey(deps.config) },
  };
  return createSubgraphServer<UserContext>({
    name: 'user',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<UserContext>,
    extendContext: userContext(services),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    routes: {
      'GET /.well-known/jwks.json': (_req, res) => sendJson(res, 200, deps.signingKeys.jwks(), { 'cache-control': 'public, max-age=300' }),
      ...internalRoutes(deps.store, deps.identitySecret),
      // The gateway's POST /oauth/token, once it has read the client's credentials (service-boundaries.md: gateway → user).
      'POST /internal/oauth/token': gatewayRoute(deps.identitySecret, async (body, res) => {
        const request = parseTokenRequest(body);
        if (!request) return sendJson(res, 400, { error: 'BAD_REQUEST' });
        sendJson(res, 200, await issueMachineToken(services, request), { 'cache-control': 'no-store' });
      }),
    },
    ready: storeReady(deps.store),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}
