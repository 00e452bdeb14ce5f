/** When a subgraph's circuit opens, and how it closes again by itself. */
export interface CircuitSettings {
  /** Open once this percentage of fetches in the window failed ... */
  errorThresholdPercentage: number;
  /** ... and at least this many fetches were made in it. */
  volumeThreshold: number;
  /** The rolling window the failure rate is measured over. */
  windowMs: number;
  /** How long an open circuit fails fast before letting one probe through (half-open). */
  resetTimeoutMs: number;
}

/** How the gateway talks to one subgraph. */
export interface SubgraphClientSettings {
  /** The whole fetch, retries included, ends by then with SUBGRAPH_UNAVAILABLE. */
  timeoutMs: number;
  /** Extra attempts of a query whose connection failed (mutations are never sent twice). */
  retries: number;
  /** First retry's delay; each further one doubles (with jitter). */
  retryBackoffMs: number;
  /** Most keep-alive connections to the subgraph. */
  connections: number;
  /** How long an idle connection is kept (below the subgraph's own keep-alive of 5 s, so the gateway closes first). */
  keepAliveTimeoutMs: number;
  /** Requests in flight per connection (1: none pipelined, so a reset never takes several with it). */
  pipelining: number;
  circuit: CircuitSettings;
}

/** The gateway's settings for every subgraph, with per-subgraph timeouts (`GATEWAY_SUBGRAPH_TIMEOUT_MS_<NAME>`). */
export interface SubgraphClientConfig extends SubgraphClientSettings {
  timeoutOverridesMs: Partial<Record<string, number>>;
}

/** One subgraph's settings out of the gateway's. */
export function settingsFor(config: SubgraphClientConfig, name: string): SubgraphClientSettings {
  const { timeoutOverridesMs, ...settings } = config;
  return { ...settings, timeoutMs: timeoutOverridesMs[name] ?? settings.timeoutMs };
}
