import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request headers a browser app may send cross-origin: the bearer token, JSON,
 * the contract's client headers, Apollo's CSRF-prevention headers, and trace
 * and request ids.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'accept-language',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-apollo-operation-name',
  'apollo-require-preflight',
  'traceparent',
  'x-request-id',
];

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Response headers a cross-origin app may read (`Retry-After` of RATE_LIMITED, the request id to quote). */
const EXPOSED_HEADERS = 'retry-after, x-request-id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS for an exact allow-list of origins (no wildcards, no credentials:
 * the token travels in `Authorization`, never in a cookie). An origin not on
 * the list gets no CORS headers at all, so the browser keeps the answer from
 * the page. Preflights are answered here; returns true when it answered.
 */
export function applyCors(allowedOrigins: ReadonlySet<string>, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && allowedOrigins.has(origin);
  // The answer depends on Origin whenever there is a list: caches must not hand one origin's answer to another.
  if (allowedOrigins.size > 0) res.setHeader('vary', 'Origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
    res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
  }
  res.writeHead(204, { 'content-length': '0' });
  res.end();
  return true;
}
