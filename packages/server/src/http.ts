import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ErrorCode } from '@harbour/errors';
import { GraphQLError } from 'graphql';

/** A plain handler for a non-GraphQL path (health, JWKS, metrics). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the per-request context; may throw a GraphQLError with `extensions.http.status`. */
  context: (req: IncomingMessage) => Promise<TContext>;
  /** `GET /health/live` and the like, keyed by `"<METHOD> <path>"`. */
  routes?: Record<string, RouteHandler>;
  graphqlPath?: string;
  /** Largest request body accepted; bigger ones get 413 PAYLOAD_TOO_LARGE. */
  bodyLimitBytes?: number;
  /** Called when writing a response fails after headers went out. */
  onError?: (error: unknown) => void;
  /**
   * Checks a request before Apollo sees it (the gateway's token limit, which
   * must run before parsing); a GraphQLError refuses it with its
   * `extensions.http.status` (400 by default).
   */
  precheck?: (request: { body: unknown; search: string }) => void;
  /**
   * Runs first for every request, GraphQL or not: sets the headers every
   * response carries (security headers, CORS) and may answer the request
   * itself, e.g. a CORS preflight, by returning true.
   */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Wraps the handling of each request (the gateway runs it inside the request's trace span). */
  around?: (req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>) => Promise<void>;
  /** Told the code of each GraphQL error this server answers itself, before Apollo (for the errors metric). */
  onRefused?: (code: unknown) => void;
}

export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** A request body over its limit (readBody). */
export class PayloadTooLarge extends Error {}

/** Reads a request body, refusing to buffer more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new PayloadTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function graphqlErrorBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * Apollo Server on Node's own http server: one GraphQL path plus a few plain
 * routes. Kept this small on purpose, so the gateway's WebSocket server and
 * limits can attach to the same `http.Server`.
 */
export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const routes = options.routes ?? {};

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.onRequest?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[`${req.method} ${url.pathname}`];
    if (route) return route(req, res);
    if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'Not found' });

    let rawBody: string;
    try {
      rawBody = req.method === 'POST' ? await readBody(req, limit) : '';
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        options.onRefused?.(ErrorCode.PAYLOAD_TOO_LARGE);
        return sendJson(res, 413, graphqlErrorBody(ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${limit} bytes.`), { connection: 'close' });
      }
      throw error;
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = rawBody;
    if (rawBody && (headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        options.onRefused?.(ErrorCode.BAD_REQUEST);
        return sendJson(res, 400, graphqlErrorBody(ErrorCode.BAD_REQUEST, 'The request body is not valid JSON.'));
      }
    }

    if (options.precheck) {
      try {
        options.precheck({ body, search: url.search });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        const { http, ...extensions } = error.extensions as { http?: { status?: number }; code?: unknown };
        options.onRefused?.(extensions.code);
        return sendJson(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] });
      }
    }

    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  const serve = (req: IncomingMessage, res: ServerResponse) =>
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      options.onRefused?.(ErrorCode.INTERNAL_SERVER_ERROR);
      if (!res.headersSent) sendJson(res, 500, graphqlErrorBody(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.'));
      else res.destroy();
    });
  return http.createServer((req, res) => void (options.around ? options.around(req, res, () => serve(req, res)) : serve(req, res)));
}

/** Listens and resolves with the bound port (use port 0 in tests). */
export function listen(server: http.Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and waits for open ones to finish (or be closed after `graceMs`). */
export function close(server: http.Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
