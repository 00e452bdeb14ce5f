/** Why a subgraph could not answer: the `outcome` label of the fetch metric, too. */
export type UnavailableReason = 'connection' | 'timeout' | 'circuit_open' | 'status';

/**
 * A subgraph fetch that got no answer: the connection was refused or reset,
 * the subgraph's time ran out, its circuit is open, or a proxy in front of it
 * said 502/503/504. The data source turns it into SUBGRAPH_UNAVAILABLE at
 * the paths that subgraph would have filled; its message never names a host
 * (the cause, which may, is only logged).
 */
export class SubgraphUnavailableError extends Error {
  override name = 'SubgraphUnavailableError';

  constructor(
    readonly serviceName: string,
    readonly reason: UnavailableReason,
    cause?: unknown,
  ) {
    super(`The ${serviceName} service is unavailable (${reason.replace('_', ' ')}).`, cause === undefined ? undefined : { cause });
  }
}
