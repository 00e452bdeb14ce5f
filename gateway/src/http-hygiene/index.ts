import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyCors } from './cors';
import { securityHeaders } from './security-headers';

export { CORS_ALLOWED_HEADERS } from './cors';
export { CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers';
export { drainable, type Drainable } from './drain';

/**
 * Apollo Server's CSRF prevention with the contract's client headers: a GET
 * (or a POST with a "simple" content type) must carry `x-apollo-operation-name`
 * or `apollo-require-preflight`, headers a browser only sends cross-site after
 * a CORS preflight. Apps send the former on every GET (tests/contract/README.md).
 */
export const CSRF_PREVENTION = { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight'] };

/**
 * What the gateway does first with every request: security headers on every
 * response, CORS for the configured origins (answering preflights).
 */
export function httpHygiene(options: { corsOrigins: readonly string[]; hsts: boolean }): (req: IncomingMessage, res: ServerResponse) => boolean {
  const headers = Object.entries(securityHeaders({ hsts: options.hsts }));
  const origins = new Set(options.corsOrigins);
  return (req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    return applyCors(origins, req, res);
  };
}
