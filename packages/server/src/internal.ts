import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SubgraphName } from '@harbour/config';
import { IDENTITY_HEADER, signIdentity, verifyIdentity } from '@harbour/identity';
import { Pool } from 'undici';
import { PayloadTooLarge, readBody, sendJson, type RouteHandler } from './http';

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
    const service = await serviceCaller(req, res, identitySecret, (caller) => caller !== 'gateway' && allowedCallers.includes(caller));
    if (service) await handler(new URL(req.url ?? '/', 'http://internal').searchParams, res, service as SubgraphName);
  };
}

/**
 * The service principal a request's signed identity names, when `allowed`
 * admits it; otherwise the refusal is answered (401 without a valid
 * identity, 403 for anyone else) and undefined returned.
 */
async function serviceCaller(
  req: IncomingMessage,
  res: ServerResponse,
  identitySecret: Uint8Array,
  allowed: (service: SubgraphName | 'gateway') => boolean,
): Promise<SubgraphName | 'gateway' | undefined> {
  const header = req.headers[IDENTITY_HEADER];
  const identity = await verifyIdentity(typeof header === 'string' ? header : undefined, identitySecret);
  if (!identity) {
    sendJson(res, 401, { error: 'UNAUTHENTICATED' });
    return undefined;
  }
  if (identity.kind !== 'service' || !allowed(identity.service)) {
    sendJson(res, 403, { error: 'FORBIDDEN' });
    return undefined;
  }
  return identity.service;
}

/** An internal POST body is small (a token request): anything larger is refused unread. */
const INTERNAL_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * An internal path the user subgraph answers for the gateway itself
 * (service-boundaries.md: gateway → user, API-key token issue): a POST with a
 * JSON body, only from the gateway's service principal — never a forwarded
 * user's or machine's identity, and never another subgraph.
 */
export function gatewayRoute(identitySecret: Uint8Array, handler: (body: unknown, res: ServerResponse) => Promise<void>): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await serviceCaller(req, res, identitySecret, (caller) => caller === 'gateway'))) return;
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, INTERNAL_BODY_LIMIT_BYTES));
    } catch (error) {
      if (error instanceof PayloadTooLarge || error instanceof SyntaxError) return sendJson(res, 400, { error: 'BAD_REQUEST' });
      throw error;
    }
    await handler(body, res);
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
  /** The calling subgraph (or the gateway): the service principal it signs as. */
  caller: SubgraphName | 'gateway';
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
  const call = internalCaller(service, baseUrl, options);
  return <T>(path: string, query: Record<string, string>, requestId?: string) => call<T>('GET', path, query, undefined, requestId);
}

/** As internalClient, for a POST with a JSON body (the gateway's token requests to the user subgraph). */
export function internalPostClient(service: SubgraphName, baseUrl: string, options: InternalClientOptions) {
  const call = internalCaller(service, baseUrl, options);
  return <T>(path: string, body: unknown, requestId?: string) => call<T>('POST', path, {}, JSON.stringify(body), requestId);
}

function internalCaller(service: SubgraphName, baseUrl: string, options: InternalClientOptions) {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const base = new URL(baseUrl);
  const pool = new Pool(base.origin, { connections: 32, connectTimeout: timeoutMs, keepAliveTimeout: 10_000 });
  return async function call<T>(method: 'GET' | 'POST', path: string, query: Record<string, string>, body: string | undefined, requestId?: string): Promise<{ status: number; body: T }> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await pool.request({
        method,
        path: `${url.pathname}${url.search}`,
        headers: {
          [IDENTITY_HEADER]: await signIdentity({ kind: 'service', service: options.caller }, options.identitySecret, options.caller),
          ...(requestId ? { 'x-request-id': requestId } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
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
