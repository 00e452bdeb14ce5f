import type { RouteHandler } from '@harbour/server';
import { sendJson } from '@harbour/server';

export interface HealthOptions {
  /** Supergraph loaded and token keys available: this gateway can serve. */
  ready: () => Promise<boolean>;
  subgraphs: Array<{ name: string; url: string }>;
  timeoutMs: number;
  /** Each subgraph's circuit (closed, half-open, open), reported beside its health. */
  circuits?: () => Record<string, string>;
}

async function subgraphUp(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * `/health/live` (the process runs), `/health/ready` (this gateway can serve;
 * deliberately not tied to any subgraph, so one subgraph down never takes the
 * gateway out of rotation) and `/health/subgraphs` (each one up or down, and
 * its circuit breaker's state).
 */
export function healthRoutes(options: HealthOptions): Record<string, RouteHandler> {
  return {
    'GET /health/live': (_req, res) => sendJson(res, 200, { status: 'live' }),
    'GET /health/ready': async (_req, res) => {
      const ready = await options.ready().catch(() => false);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    },
    'GET /health/subgraphs': async (_req, res) => {
      const states = await Promise.all(
        options.subgraphs.map(async ({ name, url }) => [name, (await subgraphUp(url, options.timeoutMs)) ? 'up' : 'down'] as const),
      );
      const allUp = states.every(([, state]) => state === 'up');
      sendJson(res, allUp ? 200 : 503, { subgraphs: Object.fromEntries(states), ...(options.circuits ? { circuits: options.circuits() } : {}) });
    },
  };
}
