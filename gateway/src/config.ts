import path from 'node:path';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_LIMITS, type OperationLimits } from './limits/limits';
import { DEFAULT_RATE_LIMITS, TrustedProxies, type RateLimitConfig } from './rate-limit';
import { REPO_ROOT, SUBGRAPHS, commonConfig, tracingConfig, type TracingConfig, positiveInt, readVar, servicePort, url, type CommonConfig } from '@harbour/config';
import type { SubgraphClientConfig } from './subgraph-client';
import { CONTRACT_MANIFEST_PATHS, type DocumentsConfig } from './documents';

type Env = Record<string, string | undefined>;

export interface GatewayConfig extends CommonConfig {
  port: number;
  /** Where clients reach the gateway (GATEWAY_PUBLIC_URL): the OAuth metadata's token endpoint and JWKS are under it. */
  publicUrl: string;
  /** The composed supergraph the gateway serves (no introspection of subgraphs at run time). */
  supergraphPath: string;
  /** Where the public keys of access tokens are published; default: the user subgraph's JWKS. */
  jwksUrl: string | undefined;
  bodyLimitBytes: number;
  /** Time allowed for a subgraph's health check in /health/subgraphs. */
  healthTimeoutMs: number;
  /** Operation limits (OPERATION_TOO_COMPLEX above them). */
  limits: OperationLimits;
  /** Per user and per IP, in Redis (RATE_LIMITED above them). */
  rateLimits: RateLimitConfig;
  /** How long one Redis command may take before the gateway degrades around it (rate limits fail open). */
  redisCommandTimeoutMs: number;
  /** Trusted documents (which operations run) and APQ. */
  documents: DocumentsConfig;
  /** Browser origins allowed to call the gateway cross-origin (exact match); none by default. */
  corsOrigins: string[];
  /** How long a stop waits for requests in flight before closing their connections. */
  drainTimeoutMs: number;
  /** How often each subscription socket's session is checked for revocation: the backstop to the revocations pushed at once. */
  subscriptionRevocationCheckMs: number;
  /** Whether introspection queries are answered; the explorer reads `/schema.graphql` either way. */
  introspection: boolean;
  /** Connections, deadlines, retries and circuit breakers for the subgraph fetches. */
  subgraphClient: SubgraphClientConfig;
  /** The service name of the gateway's spans, and where they are exported (OTLP over HTTP; none: not exported). */
  tracing: TracingConfig;
}

/** A comma-separated list of origins (`https://app.example.com`), each exactly as a browser sends it. */
const originList = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .superRefine((entries, context) => {
    for (const entry of entries) {
      const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
      if (origin !== entry) context.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://app.example.com` });
    }
  });

/** A comma-separated list of IPs and CIDR ranges, each checked. */
const ipList = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .superRefine((entries, context) => {
    try {
      new TrustedProxies(entries);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const onOff = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A comma-separated list of files, relative to the repository's root unless absolute. */
const fileList = z.string().transform((value) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => path.resolve(REPO_ROOT, entry)),
);

/**
 * Subgraphs whose answers may legitimately take longer than the general
 * deadline: a payment with a duplicate idempotency key waits up to 5 s for
 * the first request (then IDEMPOTENCY_KEY_IN_USE), so the gateway must wait
 * longer than that for the payment subgraph's answer.
 */
const SUBGRAPH_TIMEOUT_DEFAULTS_MS: Partial<Record<string, number>> = { payment: 10_000 };

/**
 * The gateway's Redis connection (revocations, rate limits, APQ). It fails
 * fast when Redis is away — no offline queue, a short command timeout — so
 * every use of it degrades instead of waiting. (Auto-pipelining was tried:
 * a request's session and rate-limit checks are issued in different ticks,
 * as are different requests' checks, so it batched nothing and added its
 * own cost.)
 */
export function gatewayRedisOptions(config: Pick<GatewayConfig, 'redisCommandTimeoutMs'>): RedisOptions {
  return { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: config.redisCommandTimeoutMs };
}

export function gatewayConfig(env: Env = process.env): GatewayConfig {
  const common = commonConfig(env);
  return {
    ...common,
    // The gateway's own Redis may differ from the subgraphs' (and a fault test cuts only the gateway's).
    redisUrl: readVar(env, 'GATEWAY_REDIS_URL', url(['redis:', 'rediss:']), common.redisUrl),
    redisCommandTimeoutMs: readVar(env, 'GATEWAY_REDIS_COMMAND_TIMEOUT_MS', positiveInt, 500),
    port: servicePort('gateway', env),
    publicUrl: readVar(env, 'GATEWAY_PUBLIC_URL', url(['http:', 'https:']), `http://localhost:${servicePort('gateway', env)}`).replace(/\/+$/, ''),
    supergraphPath: readVar(env, 'SUPERGRAPH_PATH', z.string(), path.join(REPO_ROOT, 'schema', 'supergraph.graphql')),
    jwksUrl: readVar(env, 'JWKS_URL', url(['http:', 'https:']).optional()),
    bodyLimitBytes: readVar(env, 'GATEWAY_BODY_LIMIT_BYTES', positiveInt, 256 * 1024),
    healthTimeoutMs: readVar(env, 'GATEWAY_HEALTH_TIMEOUT_MS', positiveInt, 1_000),
    limits: {
      maxTokens: readVar(env, 'GATEWAY_MAX_TOKENS', positiveInt, DEFAULT_LIMITS.maxTokens),
      maxDepth: readVar(env, 'GATEWAY_MAX_DEPTH', positiveInt, DEFAULT_LIMITS.maxDepth),
      maxIntrospectionDepth: readVar(env, 'GATEWAY_MAX_INTROSPECTION_DEPTH', positiveInt, DEFAULT_LIMITS.maxIntrospectionDepth),
      maxAliases: readVar(env, 'GATEWAY_MAX_ALIASES', positiveInt, DEFAULT_LIMITS.maxAliases),
      maxRootFields: readVar(env, 'GATEWAY_MAX_ROOT_FIELDS', positiveInt, DEFAULT_LIMITS.maxRootFields),
      maxCost: readVar(env, 'GATEWAY_MAX_COST', positiveInt, DEFAULT_LIMITS.maxCost),
    },
    rateLimits: {
      windowSeconds: readVar(env, 'GATEWAY_RATE_LIMIT_WINDOW_SECONDS', positiveInt, DEFAULT_RATE_LIMITS.windowSeconds),
      perUser: readVar(env, 'GATEWAY_RATE_LIMIT_PER_USER', positiveInt, DEFAULT_RATE_LIMITS.perUser),
      perIp: readVar(env, 'GATEWAY_RATE_LIMIT_PER_IP', positiveInt, DEFAULT_RATE_LIMITS.perIp),
      sensitiveWindowSeconds: readVar(env, 'GATEWAY_RATE_LIMIT_SENSITIVE_WINDOW_SECONDS', positiveInt, DEFAULT_RATE_LIMITS.sensitiveWindowSeconds),
      sensitivePerUser: readVar(env, 'GATEWAY_RATE_LIMIT_SENSITIVE_PER_USER', positiveInt, DEFAULT_RATE_LIMITS.sensitivePerUser),
      sensitivePerIp: readVar(env, 'GATEWAY_RATE_LIMIT_SENSITIVE_PER_IP', positiveInt, DEFAULT_RATE_LIMITS.sensitivePerIp),
      trustedProxies: readVar(env, 'GATEWAY_TRUSTED_PROXIES', ipList, []),
      tokenWindowSeconds: readVar(env, 'GATEWAY_TOKEN_RATE_LIMIT_WINDOW_SECONDS', positiveInt, DEFAULT_RATE_LIMITS.tokenWindowSeconds),
      tokenPerClient: readVar(env, 'GATEWAY_TOKEN_RATE_LIMIT_PER_CLIENT', positiveInt, DEFAULT_RATE_LIMITS.tokenPerClient),
      tokenPerIp: readVar(env, 'GATEWAY_TOKEN_RATE_LIMIT_PER_IP', positiveInt, DEFAULT_RATE_LIMITS.tokenPerIp),
    },
    subgraphClient: {
      timeoutMs: readVar(env, 'GATEWAY_SUBGRAPH_TIMEOUT_MS', positiveInt, 5_000),
      timeoutOverridesMs: Object.fromEntries(
        SUBGRAPHS.map((name) => [
          name,
          readVar(env, `GATEWAY_SUBGRAPH_TIMEOUT_MS_${name.toUpperCase()}`, positiveInt.optional()) ?? SUBGRAPH_TIMEOUT_DEFAULTS_MS[name],
        ]),
      ),
      retries: readVar(env, 'GATEWAY_SUBGRAPH_RETRIES', z.coerce.number().int().min(0).max(5), 2),
      retryBackoffMs: readVar(env, 'GATEWAY_SUBGRAPH_RETRY_BACKOFF_MS', positiveInt, 25),
      connections: readVar(env, 'GATEWAY_SUBGRAPH_CONNECTIONS', positiveInt, 128),
      keepAliveTimeoutMs: readVar(env, 'GATEWAY_SUBGRAPH_KEEPALIVE_MS', positiveInt, 4_000),
      pipelining: readVar(env, 'GATEWAY_SUBGRAPH_PIPELINING', positiveInt, 1),
      circuit: {
        errorThresholdPercentage: readVar(env, 'GATEWAY_CIRCUIT_ERROR_PERCENT', z.coerce.number().int().min(1).max(100), 50),
        volumeThreshold: readVar(env, 'GATEWAY_CIRCUIT_VOLUME', positiveInt, 10),
        windowMs: readVar(env, 'GATEWAY_CIRCUIT_WINDOW_MS', positiveInt, 10_000),
        resetTimeoutMs: readVar(env, 'GATEWAY_CIRCUIT_RESET_MS', positiveInt, 5_000),
      },
    },
    corsOrigins: readVar(env, 'GATEWAY_CORS_ORIGINS', originList, []),
    drainTimeoutMs: readVar(env, 'GATEWAY_DRAIN_TIMEOUT_MS', positiveInt, 10_000),
    subscriptionRevocationCheckMs: readVar(env, 'GATEWAY_WS_REVOCATION_CHECK_SECONDS', positiveInt, 15) * 1000,
    introspection: readVar(env, 'GATEWAY_INTROSPECTION', onOff, true),
    documents: {
      // Production serves shipped apps, whose operations are all registered; a local run accepts anything.
      mode: readVar(env, 'GATEWAY_TRUSTED_DOCUMENTS', z.enum(['off', 'enforce']), common.mode === 'production' ? 'enforce' : 'off'),
      manifestPaths: readVar(env, 'GATEWAY_TRUSTED_DOCUMENTS_MANIFESTS', fileList, CONTRACT_MANIFEST_PATHS),
      apqTtlSeconds: readVar(env, 'GATEWAY_APQ_TTL_SECONDS', positiveInt, 24 * 3600),
    },
    tracing: tracingConfig('gateway', env),
  };
}
