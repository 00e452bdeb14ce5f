/** How the gateway talks to its subgraphs: pooled connections, deadlines, query retries, a circuit per subgraph. */
export { SubgraphClient, type CircuitState, type SubgraphClientOptions, type SubgraphMetrics } from './client';
export { settingsFor, type CircuitSettings, type SubgraphClientConfig, type SubgraphClientSettings } from './settings';
export { SubgraphUnavailableError, type UnavailableReason } from './unavailable';
export { unavailableAnswer } from './partial-answer';
