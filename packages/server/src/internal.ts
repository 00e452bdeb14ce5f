import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SubgraphName } from '@harbour/config';
import { IDENTITY_HEADER, signIdentity, verifyIdentity } from '@harbour/identity';
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

/** Calls another subgraph's internal path as a service principal, with a timeout. */
export function internalClient(service: SubgraphName, baseUrl: string, options: InternalClientOptions) {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async function get<T>(path: string, query: Record<string, string>, requestId?: string): Promise<{ status: number; body: T }> {
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          [IDENTITY_HEADER]: await signIdentity({ kind: 'service', service: options.caller }, options.identitySecret, options.caller),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new InternalCallError(service, `${service} did not answer ${path}: ${(error as Error).message}`);
    }
    if (response.status >= 500 || response.status === 401 || response.status === 403) {
      throw new InternalCallError(service, `${service} answered ${path} with HTTP ${response.status}`);
    }
    return { status: response.status, body: (await response.json()) as T };
  };
}
