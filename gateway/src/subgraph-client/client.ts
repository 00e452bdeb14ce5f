import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { Logger } from '@harbour/logger';
import CircuitBreaker from 'opossum';
import type { Gauge, Histogram } from 'prom-client';
import { Pool } from 'undici';
import { isConnectionFailure, isRetryableBody, retryDelayMs } from './policy';
import { SubgraphResponse } from './response';
import type { SubgraphClientSettings } from './settings';
import { SubgraphUnavailableError } from './unavailable';

export type CircuitState = 'closed' | 'half-open' | 'open';

/** The `circuitState` gauge's values. */
const GAUGE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** A proxy's way of saying the subgraph behind it is not there. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

type Outcome = 'ok' | 'error' | 'timeout' | 'circuit_open';
type Headers = Record<string, string> | undefined;

/** The two series of the gateway's metrics (`GatewayMetrics`, observability/metrics.ts) a client reports to. */
export interface SubgraphMetrics {
  subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  circuitState: Gauge<'subgraph'>;
}

export interface SubgraphClientOptions extends SubgraphClientSettings {
  name: string;
  url: string;
  metrics?: SubgraphMetrics | undefined;
  logger?: Logger | undefined;
}

/**
 * How the gateway reaches one subgraph: a pool of keep-alive connections
 * (undici) to its origin, one deadline per fetch, retries of queries whose
 * connection failed (never of mutations, which might have been applied),
 * and a circuit breaker (opossum) that fails fast while the subgraph is
 * down and lets one probe through now and then, closing again by itself
 * when the subgraph is back. `fetcher` plugs it into RemoteGraphQLDataSource.
 */
export class SubgraphClient {
  /** For RemoteGraphQLDataSource's `fetcher` option; it always fetches this client's URL. */
  readonly fetcher: Fetcher;

  private readonly pool: Pool;
  private readonly breaker: CircuitBreaker<[string, Headers], SubgraphResponse>;
  private readonly path: string;
  private readonly durations: Partial<Record<Outcome, { observe(seconds: number): void }>> = {};

  constructor(private readonly options: SubgraphClientOptions) {
    const target = new URL(options.url);
    this.path = `${target.pathname}${target.search}`;
    this.pool = new Pool(target.origin, {
      connections: options.connections,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      pipelining: options.pipelining,
      connectTimeout: options.timeoutMs,
    });
    const { circuit } = options;
    this.breaker = new CircuitBreaker((body: string, headers: Headers) => this.send(body, headers), {
      timeout: false, // send() keeps the deadline, and aborts the request at it
      errorThresholdPercentage: circuit.errorThresholdPercentage,
      volumeThreshold: circuit.volumeThreshold,
      rollingCountTimeout: circuit.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: circuit.resetTimeoutMs,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      // Only "no answer" counts against the subgraph; an answer, even an error, means it is there.
      errorFilter: (error: unknown) => !(error instanceof SubgraphUnavailableError),
    });
    this.watchCircuit();
    this.fetcher = (_url: string, init?: FetcherRequestInit) => this.fetch(init);
  }

  get name(): string {
    return this.options.name;
  }

  /** Closed (normal), open (failing fast) or half-open (one probe let through). */
  get circuitState(): CircuitState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Stops the breaker's timers and closes the connections (after what is in flight). */
  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.pool.close();
  }

  private async fetch(init: FetcherRequestInit | undefined): Promise<FetcherResponse> {
    const started = performance.now();
    try {
      const response = await this.breaker.fire(String(init?.body ?? ''), init?.headers);
      this.observe(response.status >= 500 ? 'error' : 'ok', started);
      return response;
    } catch (error) {
      // The breaker's own errors (open, shut down) mean it did not even try.
      const failure = CircuitBreaker.isOurError(error as Error) ? new SubgraphUnavailableError(this.name, 'circuit_open') : error;
      this.observe(failure instanceof SubgraphUnavailableError && failure.reason !== 'connection' && failure.reason !== 'status' ? failure.reason : 'error', started);
      throw failure;
    }
  }

  /** Every attempt of one fetch, within one deadline: at it the request in flight is aborted and the fetch ends as a timeout. */
  private async send(body: string, headers: Headers): Promise<SubgraphResponse> {
    const { timeoutMs, retries, retryBackoffMs } = this.options;
    const deadline = performance.now() + timeoutMs;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const retryable = retries > 0 && isRetryableBody(body);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.attempt(body, headers, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) throw new SubgraphUnavailableError(this.name, 'timeout', error);
          if (error instanceof SubgraphUnavailableError) throw error;
          const delay = retryDelayMs(attempt, retryBackoffMs);
          if (!retryable || attempt >= retries || !isConnectionFailure(error) || performance.now() + delay >= deadline) {
            throw new SubgraphUnavailableError(this.name, 'connection', error);
          }
          await sleep(delay);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async attempt(body: string, headers: Headers, signal: AbortSignal): Promise<SubgraphResponse> {
    const response = await this.pool.request({ path: this.path, method: 'POST', headers, body, signal });
    const text = await response.body.text();
    if (UNAVAILABLE_STATUSES.has(response.statusCode)) throw new SubgraphUnavailableError(this.name, 'status');
    return new SubgraphResponse(this.options.url, response.statusCode, response.headers as IncomingHttpHeaders, text);
  }

  private observe(outcome: Outcome, started: number): void {
    const histogram = this.options.metrics?.subgraphFetchDuration;
    if (!histogram) return;
    const child = (this.durations[outcome] ??= histogram.labels({ subgraph: this.name, outcome }));
    child.observe((performance.now() - started) / 1000);
  }

  private watchCircuit(): void {
    const { metrics, logger } = this.options;
    const report = (state: CircuitState) => metrics?.circuitState.set({ subgraph: this.name }, GAUGE[state]);
    report('closed');
    this.breaker.on('open', () => {
      report('open');
      logger?.warn({ subgraph: this.name }, 'subgraph circuit open: failing fast');
    });
    this.breaker.on('halfOpen', () => report('half-open'));
    this.breaker.on('close', () => {
      report('closed');
      logger?.info({ subgraph: this.name }, 'subgraph circuit closed: reachable again');
    });
  }
}
