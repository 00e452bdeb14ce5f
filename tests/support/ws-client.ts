import { createClient, type Client, type ExecutionResult, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveClient {
  client: Client;
  /** The code the socket closed with, once it has. */
  closed: Promise<number>;
  /** Resolves once the server has acknowledged the connection (its token was accepted). */
  connected: Promise<void>;
}

/** A graphql-ws client as the apps use it: the token in connection_init, no automatic retries in tests. */
export function liveClient(gatewayUrl: string, token: string | undefined): LiveClient {
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClosed((event as { code: number }).code), connected: () => onConnected() },
    onNonLazyError: () => undefined,
  });
  return { client, closed, connected };
}

/** Collects a subscription's results as they come, for assertions. */
export class Collected<T = Record<string, any>> {
  readonly results: Array<ExecutionResult<T>> = [];
  private waiters: Array<() => void> = [];
  readonly done: Promise<void>;

  /** `query` is the operation's text, or a whole subscribe payload (a persisted query's hash, say). */
  constructor(client: Client, query: string | SubscribePayload, variables: Record<string, unknown> = {}) {
    const payload = typeof query === 'string' ? { query, variables } : query;
    this.done = (async () => {
      for await (const result of client.iterate<T>(payload)) {
        this.results.push(result as ExecutionResult<T>);
        for (const wake of this.waiters.splice(0)) wake();
      }
    })().catch((error: unknown) => {
      // graphql-ws rejects with the operation's errors (an `error` message), or with the socket's close event.
      const errors = Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? (error as { code?: number })?.code ?? error) }];
      this.results.push({ errors } as never);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Waits (at most `timeoutMs`) until `count` results have arrived. */
  async atLeast(count: number, timeoutMs = 5_000): Promise<Array<ExecutionResult<T>>> {
    await this.until(() => this.results.length >= count, timeoutMs, () => `Only ${this.results.length} of ${count} results arrived`);
    return this.results;
  }

  /**
   * Waits (at most `timeoutMs`) for the first result that `matches`. For a stream that may also carry
   * results the test did not cause (a notice of an earlier action that arrived after subscribing).
   */
  async first(matches: (result: ExecutionResult<T>) => boolean, timeoutMs = 5_000): Promise<ExecutionResult<T>> {
    await this.until(() => this.results.some(matches), timeoutMs, () => 'No matching result arrived');
    return this.results.find(matches)!;
  }

  private async until(done: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${failure()}: ${JSON.stringify(this.results)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** The code `live`'s socket closed with, or 'open' when it is still open after `ms`. */
export async function closeCodeWithin(live: LiveClient, ms: number): Promise<number | 'open'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([live.closed, new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), ms)))]);
  } finally {
    // A timer left behind would keep jest waiting after the last test.
    clearTimeout(timer);
  }
}
