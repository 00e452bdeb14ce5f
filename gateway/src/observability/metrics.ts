import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_BUCKETS, requestSeries, type RequestSeries } from '@harbour/server';

/**
 * Every Prometheus series the gateway exports, in one place, served at
 * `GET /metrics`. One registry per gateway instance (tests run several in one
 * process); modules receive it through `GatewayMetrics` rather than a global.
 */
export interface GatewayMetrics extends RequestSeries {
  registry: Registry;
  /** One subgraph fetch: latency by subgraph and outcome (ok, error, timeout, circuit_open). */
  subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  /** Subscriptions open on this replica right now. */
  openSubscriptions: Gauge;
  /** Query plans served from the plan cache (hit) or computed (miss). */
  queryPlanCache: Counter<'result'>;
  /** Requests refused by a rate limit, by which limit. */
  rateLimited: Counter<'limit'>;
  /** Redis failures survived by degrading, by component (rate_limit, apq, revocation, subscriptions). */
  redisFailures: Counter<'component'>;
  /** Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open. */
  circuitState: Gauge<'subgraph'>;
  /** Revocation checks of access tokens, by how they were answered: remembered (the watch), redis (asked), failed_open (Redis unavailable). */
  revocationChecks: Counter<'answer'>;
  /** 1 while Redis announces every revocation to this replica (the revocation watch), 0 while every check asks Redis. Read at scrape time. */
  revocationWatch: Gauge;
  /** What `revocationWatch` reads; the authenticator sets it to its watch. */
  revocationWatching: { isWatching: () => boolean };
}


/** A fresh registry with every series; default Node.js process metrics too unless turned off (tests). */
export function createGatewayMetrics(options: { defaultMetrics?: boolean; maxOperations?: number } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'harbour_gateway_' });
  const registers = [registry];
  const revocationWatching = { isWatching: () => false };
  return {
    registry,
    ...requestSeries(
      'gateway',
      registers,
      { requests: 'GraphQL requests by operation.', duration: 'GraphQL request latency by operation.', errors: 'Errors returned to clients, by code.' },
      options.maxOperations,
    ),
    subgraphFetchDuration: new Histogram({
      name: 'harbour_gateway_subgraph_fetch_duration_seconds',
      help: 'Latency of one fetch to a subgraph, by subgraph and outcome.',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    openSubscriptions: new Gauge({ name: 'harbour_gateway_open_subscriptions', help: 'Subscriptions open on this replica.', registers }),
    queryPlanCache: new Counter({
      name: 'harbour_gateway_query_plan_cache_total',
      help: 'Query plan cache lookups, by result (hit, miss).',
      labelNames: ['result'],
      registers,
    }),
    rateLimited: new Counter({ name: 'harbour_gateway_rate_limited_total', help: 'Requests refused by a rate limit.', labelNames: ['limit'], registers }),
    redisFailures: new Counter({
      name: 'harbour_gateway_redis_failures_total',
      help: 'Redis failures the gateway degraded around, by component.',
      labelNames: ['component'],
      registers,
    }),
    circuitState: new Gauge({
      name: 'harbour_gateway_subgraph_circuit_state',
      help: 'Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open.',
      labelNames: ['subgraph'],
      registers,
    }),
    revocationChecks: new Counter({
      name: 'harbour_gateway_revocation_checks_total',
      help: 'Revocation checks of access tokens, by answer: remembered (the watch), redis (asked), failed_open (Redis unavailable).',
      labelNames: ['answer'],
      registers,
    }),
    revocationWatch: new Gauge({
      name: 'harbour_gateway_revocation_watch',
      help: '1 while Redis announces every revocation to this replica, 0 while every check asks Redis.',
      registers,
      collect() {
        this.set(revocationWatching.isWatching() ? 1 : 0);
      },
    }),
    revocationWatching,
  };
}
