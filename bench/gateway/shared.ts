/**
 * What every gateway in `npm run bench:gateway` shares, so all three do the
 * same work per request: the same supergraph and subgraph URLs, the same
 * token check (JWKS signature, issuer, audience, expiry, revocation in Redis
 * — Harbour's own authenticator, on a Redis connection set up as Harbour's)
 * and the same signed identity header on every subgraph fetch (the subgraphs
 * refuse anything else).
 */
import { loadIdentitySecret, signIdentity, type Identity } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { Redis } from 'ioredis';
import { authorizationOf, createAuthenticator, type Authenticator } from '../../gateway/src/auth';
import { gatewayConfig, gatewayRedisOptions } from '../../gateway/src/config';
import { loadSupergraph, type LoadedSupergraph } from '../../gateway/src/supergraph';

export interface BenchGatewaySetup {
  port: number;
  supergraph: LoadedSupergraph;
  authenticator: Authenticator;
  /** The `x-harbour-identity` value for a caller, as Harbour's gateway signs it. */
  sign(identity: Identity): Promise<string>;
  stop(): Promise<void>;
}

export { authorizationOf };

export function benchGatewaySetup(): BenchGatewaySetup {
  const config = gatewayConfig();
  const port = Number(process.env.BENCH_GATEWAY_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_GATEWAY_PORT is required.');
  const logger = createLogger('bench-gateway', 'error');
  const redis = new Redis(config.redisUrl, gatewayRedisOptions(config));
  const supergraph = loadSupergraph(config.supergraphPath);
  const userSubgraph = supergraph.subgraphs.find((subgraph) => subgraph.name === 'user')!;
  const jwksUrl = config.jwksUrl ?? new URL('/.well-known/jwks.json', userSubgraph.url).toString();
  const authenticator = createAuthenticator({ jwksUrl, audience: config.jwt, redis, redisKeyPrefix: config.redisKeyPrefix, logger });
  const secret = loadIdentitySecret(config);
  return {
    port,
    supergraph,
    authenticator,
    sign: (identity) => signIdentity(identity, secret, 'gateway'),
    async stop() {
      authenticator.close();
      redis.disconnect();
    },
  };
}

/** Tells the parent the gateway listens, then waits for SIGTERM. */
export function announceAndWait(name: string, stop: () => Promise<void>): void {
  console.log(`${name} listening`);
  process.once('SIGTERM', () => {
    stop().finally(() => process.exit(0));
  });
}
