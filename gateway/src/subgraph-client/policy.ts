/**
 * Error codes of a failure to reach the subgraph at all (Node's and undici's):
 * the request did not get an answer, so a query may safely be sent again.
 */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** True when the error says the connection failed (refused, reset, closed), as opposed to anything the subgraph answered. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_FAILURES.has(code);
}

const QUERY_BODY = /^\{"query":"(?:query(?![_0-9A-Za-z])|\{)/;

/**
 * Whether a subgraph request may be retried: only a query, never a mutation.
 * RemoteGraphQLDataSource serialises `{ query, ...rest }`, so the document's
 * first word opens the body; the planner always names its operations
 * (`query Op__payment__0`, `mutation Op__payment__0`). Anything else,
 * including an APQ body without its document, counts as not retryable.
 */
export function isRetryableBody(body: string): boolean {
  return QUERY_BODY.test(body);
}

/** Delay before retry number `attempt` (0-based): exponential from `baseMs`, with jitter so retries of many requests spread out. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** attempt * (0.5 + Math.random() / 2);
}
