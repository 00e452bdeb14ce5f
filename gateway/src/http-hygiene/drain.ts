import type http from 'node:http';
import type { ServerResponse } from 'node:http';
import { close } from '@harbour/server';

/** A server that can stop gracefully: see `drainable`. */
export interface Drainable {
  /**
   * Stops accepting connections, lets the requests in flight finish (each
   * answer closes its connection), closes idle keep-alive connections at
   * once, and after `timeoutMs` closes whatever is left. Resolves when the
   * server is closed.
   */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Tracks the requests in flight on `server`, so that a stop neither cuts one
 * short nor waits for a keep-alive connection to time out after its last
 * answer (Node's `server.close()` alone does the latter).
 */
export function drainable(server: http.Server): Drainable {
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  server.on('request', (_req, res: ServerResponse) => {
    // A request arriving on a kept-alive connection during the drain is served, then its connection closed.
    if (draining) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    drain(timeoutMs) {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      return close(server, timeoutMs);
    },
  };
}
