import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { type LookupFunction, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { judgeAddress, type AddressPolicy } from './address-policy';
import { resolveHost, systemLookup, type LookupFn, type ResolvedAddress } from './resolve-host';

/** How much of a receiver's answer is kept (the contract shows ≤ 4 KB to staff). */
export const RESPONSE_BODY_LIMIT_BYTES = 4096;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** One budget for resolving, connecting, the answer and its body. */
  timeoutMs: number;
  policy: AddressPolicy;
  lookup?: LookupFn;
}

export interface AttemptResult {
  /** A 2xx answered in full (or up to the body limit) within the timeout. */
  ok: boolean;
  status: number | null;
  durationMs: number;
  responseBody: string;
  /** Why the attempt failed, short and human-readable; null when ok. */
  error: string | null;
  connectedAddress: string | null;
}

function parseTarget(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : `unsupported scheme ${url.protocol}`;
}

function requestedFamily(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/**
 * A `lookup` for http.request that answers only with the addresses resolved
 * (and, under 'public', checked) before the request was made, so the socket
 * cannot be sent anywhere by a second, different DNS answer.
 */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = requestedFamily(options.family);
    const usable = family === 0 ? addresses : addresses.filter((candidate) => candidate.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '');
    } else if (options.all) {
      callback(null, usable.map(({ address, family: addressFamily }) => ({ address, family: addressFamily })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed by the receiver',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the receiver',
};

/** A short reason for a failed connection: no stack, no internals. */
function describeNetworkError(error: unknown): string {
  // With several addresses Node tries each and reports them together.
  const first = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = (first as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  const message = first instanceof Error ? first.message.split('\n')[0] : String(first);
  return typeof code === 'string' && (code.includes('CERT') || code.startsWith('ERR_TLS')) ? `TLS: ${message}` : message;
}

function withContentLength(headers: Record<string, string>, body: string): Record<string, string> {
  const others = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length');
  return { ...Object.fromEntries(others), 'content-length': String(Buffer.byteLength(body)) };
}

/** One POST of one delivery; every way it can end goes through `finish`, once. */
class Attempt {
  private readonly startedAt = performance.now();
  private readonly timer: NodeJS.Timeout;
  private settled = false;
  private clientRequest: ClientRequest | null = null;
  private status: number | null = null;
  private connectedAddress: string | null = null;
  private readonly bodyChunks: Buffer[] = [];
  private bodyBytes = 0;

  constructor(
    private readonly request: WebhookRequest,
    private readonly report: (result: AttemptResult) => void,
  ) {
    this.timer = setTimeout(() => this.finish(`no answer within ${request.timeoutMs} ms`), request.timeoutMs);
  }

  async run(): Promise<void> {
    const url = parseTarget(this.request.url);
    if (typeof url === 'string') return this.finish(url);
    const resolution = await resolveHost(url.hostname, this.request.policy, this.request.lookup ?? systemLookup);
    if (this.settled) return;
    if (!resolution.ok) return this.finish(resolution.reason);
    this.post(url, resolution.addresses);
  }

  private post(url: URL, addresses: readonly ResolvedAddress[]): void {
    const transport = url.protocol === 'https:' ? https : http;
    // The hostname stays the URL's, so Host and TLS SNI/certificate checks use
    // it; only the address lookup is pinned. `agent: false` gives this request
    // its own socket, so the pinned lookup cannot serve another host.
    const clientRequest = transport.request({
      method: 'POST',
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname + url.search,
      headers: withContentLength(this.request.headers, this.request.body),
      agent: false,
      lookup: pinnedLookup(addresses),
    });
    this.clientRequest = clientRequest;
    clientRequest.on('socket', (socket) => {
      // A socket that failed already (e.g. its lookup) is reported through 'error'.
      if (socket.connecting) socket.once('connect', () => this.connected(clientRequest, socket));
      else if (!socket.destroyed) this.connected(clientRequest, socket);
    });
    clientRequest.on('response', (response) => this.answered(response));
    clientRequest.on('error', (error) => this.finish(describeNetworkError(error)));
  }

  /**
   * Checks the address the socket really reached, whatever resolved it, and
   * only then sends: nothing (not even the headers) leaves before the check.
   */
  private connected(clientRequest: ClientRequest, socket: Socket): void {
    this.connectedAddress = socket.remoteAddress ?? null;
    if (this.request.policy === 'public') {
      const verdict = judgeAddress(this.connectedAddress ?? '');
      if (!verdict.ok) return this.finish(`connected to ${this.connectedAddress}, ${verdict.description}; closed before sending`);
    }
    clientRequest.end(this.request.body);
  }

  private answered(response: IncomingMessage): void {
    const status = response.statusCode ?? null;
    this.status = status;
    if (status !== null && status >= 300 && status < 400) return this.finish(`redirect not followed (HTTP ${status})`);
    const verdict = status !== null && status >= 200 && status < 300 ? null : `receiver answered HTTP ${status}`;
    response.on('data', (chunk: Buffer) => {
      this.bodyChunks.push(chunk);
      this.bodyBytes += chunk.length;
      // Enough kept: stop reading rather than download an unbounded answer.
      if (this.bodyBytes >= RESPONSE_BODY_LIMIT_BYTES) this.finish(verdict);
    });
    response.on('end', () => this.finish(verdict));
    response.on('error', (error) => this.finish(describeNetworkError(error)));
    response.on('close', () => this.finish(response.complete ? verdict : 'the answer was cut off'));
  }

  finish(error: string | null): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.clientRequest?.destroy();
    const ok = error === null && this.status !== null && this.status >= 200 && this.status < 300;
    this.report({
      ok,
      status: this.status,
      durationMs: Math.round(performance.now() - this.startedAt),
      responseBody: Buffer.concat(this.bodyChunks).subarray(0, RESPONSE_BODY_LIMIT_BYTES).toString('utf8'),
      error,
      connectedAddress: this.connectedAddress,
    });
  }
}

/** POSTs one webhook delivery and reports how it went; never throws. */
export function sendWebhook(request: WebhookRequest): Promise<AttemptResult> {
  return new Promise((resolve) => {
    if (!(request.timeoutMs > 0) || !Number.isFinite(request.timeoutMs)) {
      resolve({ ok: false, status: null, durationMs: 0, responseBody: '', error: 'invalid timeout', connectedAddress: null });
      return;
    }
    const attempt = new Attempt(request, resolve);
    attempt.run().catch((error: unknown) => attempt.finish(describeNetworkError(error)));
  });
}
