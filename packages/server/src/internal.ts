import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SubgraphName } from '@harbour/config';
import { IDENTITY_HEADER, signIdentity, verifyIdentity } from '@harbour/identity';
import { Pool } from 'undici';
import { sendJson, type RouteHandler } from './http';

/**
 * An internal path one subgraph answers for another (only those
 * `service-boundaries.md` lists). The caller proves it is a service with the
 * same signed identity the gateway uses, with a `service` principal; a user's
 * identity, the gateway's, or none is refused.
 */
export function internalRoute(
  identitySecret: Uint8Array,
  allowedCallers: readonly SubgraphName[],
  handler: (query: URLSearchParams, res: ServerResponse, caller: SubgraphName) => Promise<void>,
): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers[IDENTITY_HEADER];
    const identity = await verifyIdentity(typeof header === 'string' ? header : undefined, identitySecret);
    if (!identity) return sendJson(res, 401, { error: 'UNAUTHENTICATED' });
    if (identity.kind !== 'service' || identity.service === 'gateway' || !allowedCallers.includes(identity.service)) {
      return sendJson(res, 403, { error: 'FORBIDDEN' });
    }
    await handler(new URL(req.url ?? '/', 'http://internal').searchParams, res, identity.service);
  };
}

/** A failed internal call: the owning subgraph is down, slow, or answered something unexpected. */
export class InternalCallError extends Error {
  override name = 'InternalCallError';
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InternalClientOptions {
  /** The calling subgraph: the service principal it signs as. */
  caller: SubgraphName;
  identitySecret: Uint8Array;
  timeoutMs?: number;
}

/**
 * Calls another subgraph's internal path as a service principal, within
 * `timeoutMs` all told. Over a keep-alive connection pool of its own (undici):
 * the global `fetch` cost more CPU per call than the neighbour's answer
 * (its WHATWG layer, and `AbortSignal.timeout`, whose timer fires after every
 * call and makes a DOMException).
 */
export function internalClient(service: SubgraphName, baseUrl: string, options: InternalClientOptions) {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const base = new URL(baseUrl);
  const pool = new Pool(base.origin, { connections: 32, connectTimeout: timeoutMs, keepAliveTimeout: 10_000 });
  return async function get<T>(path: string, query: Record<string, string>, requestId?: string): Promise<{ status: number; body: T }> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await pool.request({
        method: 'GET',
        path: `${url.pathname}${url.search}`,
        headers: {
          [IDENTITY_HEADER]: await signIdentity({ kind: 'service', service: options.caller }, options.identitySecret, options.caller),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        signal: deadline.signal,
      });
      if (response.statusCode >= 500 || response.statusCode === 401 || response.statusCode === 403) {
        await response.body.dump();
        throw new InternalCallError(service, `${service} answered ${path} with HTTP ${response.statusCode}`);
      }
      return { status: response.statusCode, body: (await response.body.json()) as T };
    } catch (error) {
      if (error instanceof InternalCallError) throw error;
      throw new InternalCallError(service, `${service} did not answer ${path}: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}
