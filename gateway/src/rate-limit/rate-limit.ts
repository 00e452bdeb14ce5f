import type { IncomingMessage } from 'node:http';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { rateLimited } from '@harbour/errors';
import type { Identity } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import type { GraphQLError } from 'graphql';
import type { Cluster, Redis } from 'ioredis';
import type { GatewayContext } from '../context';
import type { GatewayMetrics } from '../observability/metrics';
import { RedisOutage } from '../redis-outage';
import { clientIp, ipSubject, TrustedProxies } from './client-ip';
import { selectsSensitiveField } from './sensitive';
import { SlidingWindowLimiter, type WindowLimit } from './sliding-window';

/** The gateway's rate limits (GATEWAY_RATE_LIMIT_*): requests per window, per user and per client IP. */
export interface RateLimitConfig {
  windowSeconds: number;
  perUser: number;
  /** Generous: phones behind a carrier's NAT share one address. */
  perIp: number;
  /** The window of the stricter limits on `userByPhone` and `logIn`. */
  sensitiveWindowSeconds: number;
  sensitivePerUser: number;
  sensitivePerIp: number;
  /** Proxies whose X-Forwarded-For is believed (IPs and CIDR ranges); none by default. */
  trustedProxies: readonly string[];
  /** `POST /oauth/token` per client id and per IP in one window: a partner needs a token every 15 minutes, a guesser many. */
  tokenWindowSeconds: number;
  tokenPerClient: number;
  tokenPerIp: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  windowSeconds: 60,
  perUser: 300,
  perIp: 6_000,
  sensitiveWindowSeconds: 300,
  sensitivePerUser: 20,
  sensitivePerIp: 200,
  trustedProxies: [],
  tokenWindowSeconds: 60,
  tokenPerClient: 20,
  tokenPerIp: 120,
};

export interface RateLimitOptions {
  redis: Redis | Cluster;
  redisKeyPrefix: string;
  config: RateLimitConfig;
  logger: Logger;
  metrics?: GatewayMetrics | undefined;
}

/** A request over a limit: which limit, and when to try again. */
export interface Refusal {
  limit: string;
  retryAfterSeconds: number;
}

/** Who is asking: the identity from the token, the client's IP. */
export interface Caller {
  identity: Identity;
  clientIp: string;
}

/**
 * Rate limits at the gateway, over HTTP and WebSocket subscribe alike: every
 * operation counts once against its user (when signed in) and its client IP,
 * and one selecting `userByPhone` or `logIn` also against the stricter
 * sensitive limits. Refused: RATE_LIMITED with `retryAfterSeconds` (over HTTP
 * also 429 and `Retry-After`), before anything is planned or fetched.
 * Redis down: every request is admitted (counted and logged as such).
 */
export class GatewayRateLimit {
  private readonly limiter: SlidingWindowLimiter;
  private readonly trusted: TrustedProxies;

  constructor(private readonly options: RateLimitOptions) {
    this.trusted = new TrustedProxies(options.config.trustedProxies);
    this.limiter = new SlidingWindowLimiter(options.redis, new RedisOutage({ component: 'rate_limit', logger: options.logger, metrics: options.metrics }));
  }

  /** The client's IP for this HTTP request or WebSocket upgrade (X-Forwarded-For only from a trusted proxy). */
  clientIp(req: IncomingMessage): string {
    return clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.trusted);
  }

  /** A limit of `count` per window on one subject, under its own Redis key. */
  private limit(name: string, subject: string, count: number, windowSeconds: number): WindowLimit {
    return { name, key: `${this.options.redisKeyPrefix}rate:${name}:${subject}`, limit: count, windowMs: windowSeconds * 1000 };
  }

  /** Counts one operation; which limit refused it and for how long, when one does (nothing is counted then). */
  async check(caller: Caller, sensitive: boolean): Promise<Refusal | undefined> {
    const { config } = this.options;
    const limit = this.limit.bind(this);
    const ip = ipSubject(caller.clientIp);
    // A machine token counts against its key as a user's token against its user.
    const userId = caller.identity.kind === 'user' ? caller.identity.userId : caller.identity.kind === 'machine' ? `key:${caller.identity.apiKeyId}` : undefined;
    const limits = [limit('ip', ip, config.perIp, config.windowSeconds)];
    if (userId) limits.push(limit('user', userId, config.perUser, config.windowSeconds));
    if (sensitive) {
      limits.push(limit('sensitive_ip', ip, config.sensitivePerIp, config.sensitiveWindowSeconds));
      if (userId) limits.push(limit('sensitive_user', userId, config.sensitivePerUser, config.sensitiveWindowSeconds));
    }
    // The sensitive limits are small and strict: asked in Redis every time, never leased.
    const verdict = await this.limiter.admit(limits, { lease: !sensitive });
    if (verdict.allowed) return undefined;
    this.options.metrics?.rateLimited.inc({ limit: verdict.limit });
    return { limit: verdict.limit, retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /**
   * Counts one `POST /oauth/token` against its client IP and, once its client
   * id is read, that id (before its secret is checked: guessing one key's
   * secret is limited however many addresses it comes from). Strict: asked of
   * Redis every time. Redis down: admitted, like every other limit.
   */
  async admitTokenRequest(clientIp: string, clientId: string | undefined): Promise<Refusal | undefined> {
    const { config } = this.options;
    const limits = [this.limit('token_ip', ipSubject(clientIp), config.tokenPerIp, config.tokenWindowSeconds)];
    if (clientId !== undefined) limits.push(this.limit('token_client', clientId.slice(0, 200), config.tokenPerClient, config.tokenWindowSeconds));
    const verdict = await this.limiter.admit(limits, { lease: false });
    if (verdict.allowed) return undefined;
    this.options.metrics?.rateLimited.inc({ limit: verdict.limit });
    return { limit: verdict.limit, retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /** The WebSocket side: a subscribe refused with RATE_LIMITED (the socket and its other subscriptions stay). */
  async admitSubscription(req: IncomingMessage, identity: Identity): Promise<GraphQLError | undefined> {
    const refusal = await this.check({ identity, clientIp: this.clientIp(req) }, false);
    return refusal && rateLimited(refusal.retryAfterSeconds, refusal.limit);
  }

  /**
   * The HTTP side, once the operation is resolved (so its root fields are
   * known) and before it is planned. Operations the gateway runs itself
   * (completing subscription updates: no `clientIp` in their context) are not
   * counted; their subscribe was.
   */
  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, operation, contextValue }) => {
          if (!operation || contextValue.clientIp === undefined) return;
          const refusal = await this.check({ identity: contextValue.identity, clientIp: contextValue.clientIp }, selectsSensitiveField(document, operation));
          if (!refusal) return;
          const headers = new HeaderMap([['retry-after', String(refusal.retryAfterSeconds)]]);
          throw rateLimited(refusal.retryAfterSeconds, refusal.limit, { status: 429, headers });
        },
      }),
    };
  }
}
