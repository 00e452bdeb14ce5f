import type { RouteHandler } from '../http';
import type { Registry } from 'prom-client';

/** `GET /metrics`: the registry in Prometheus's text format, for a scraper. */
export function metricsRoute(registry: Registry): Record<string, RouteHandler> {
  return {
    'GET /metrics': async (_req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
  };
}
