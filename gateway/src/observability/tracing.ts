import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { harbourTracer, isTracing, traceparentOf } from '@harbour/server';

/*
 * The process's tracing (startTracing), the request span and its naming are
 * shared with every subgraph (@harbour/server); what is the gateway's own is
 * the trace it passes on to subgraphs.
 */

/** The trace one request belongs to, as the gateway passes it on in `traceparent`. */
export interface RequestTrace {
  traceId: string;
  /** W3C trace flags of the caller's `traceparent` ("01": sampled), "00" for a trace begun here. */
  flags: string;
}

/**
 * The trace of one HTTP request: the recorded span's when spans are made,
 * else the caller's `traceparent`'s, else a new one — so every request's log
 * lines, here and in each subgraph, share one trace id.
 */
export function requestTrace(req: IncomingMessage): RequestTrace {
  const spanContext = isTracing() ? trace.getActiveSpan()?.spanContext() : undefined;
  if (spanContext && trace.isSpanContextValid(spanContext)) return { traceId: spanContext.traceId, flags: spanContext.traceFlags.toString(16).padStart(2, '0') };
  return traceparentOf(req) ?? { traceId: randomHex(16), flags: '00' };
}

/**
 * One subgraph fetch as a client span, a child of the request's trace; the
 * `traceparent` sent with it (traceHeaders) names this span as the parent.
 */
export function traceSubgraphFetch<T extends { errors?: readonly unknown[] | undefined }>(subgraph: string, fetch: () => Promise<T>): Promise<T> {
  if (!isTracing()) return fetch();
  return harbourTracer().startActiveSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'harbour.subgraph': subgraph } }, async (span) => {
    try {
      const response = await fetch();
      if (response.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `traceparent` (and `tracestate`) for an outgoing request: from the current
 * span when spans are recorded, else naming a new span id in `requestTrace`'s
 * trace; empty outside any request (health checks).
 */
export function traceHeaders(requestTrace: RequestTrace | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (isTracing()) propagation.inject(context.active(), headers);
  if (!headers.traceparent && requestTrace) headers.traceparent = `00-${requestTrace.traceId}-${randomHex(8)}-${requestTrace.flags}`;
  return headers;
}

/** Random bytes for trace and span ids, drawn from a pool refilled 4 KiB at a time (a call into OpenSSL per id showed in profiles). */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const hex = randomPool.toString('hex', randomOffset, randomOffset + bytes);
  randomOffset += bytes;
  return hex;
}
