import { randomFillSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { traceparentOf } from '@harbour/server';

export interface TracingConfig {
  /** `service.name` of every span. */
  serviceName: string;
  /**
   * Where spans are exported (OTLP over HTTP, JSON). None: no spans are made
   * at all (they would cost about a tenth of the gateway's CPU, mostly in
   * async context tracking, for nothing), but trace ids still reach every
   * subgraph's log lines through `traceparent` (see requestTrace).
   */
  tracesEndpoint: string | undefined;
}

export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const tracer = () => trace.getTracer('harbour-gateway');

/** Whether spans are recorded and exported: the tracer provider is process-wide, so is this. */
let recording = false;

/** The trace one request belongs to, as the gateway passes it on in `traceparent`. */
export interface RequestTrace {
  traceId: string;
  /** W3C trace flags of the caller's `traceparent` ("01": sampled), "00" for a trace begun here. */
  flags: string;
}

/**
 * The process's tracer provider, registered globally (with W3C trace
 * context propagation and async context across awaits), so that the
 * gateway's spans, @apollo/gateway's own (plan, fetch) and the
 * `traceparent` sent to subgraphs all belong to one trace per request.
 */
export function startTracing(config: TracingConfig): Tracing {
  if (!config.tracesEndpoint) return { shutdown: async () => undefined };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesEndpoint }))],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  recording = true;
  return {
    shutdown: async () => {
      recording = false;
      await provider.shutdown();
    },
  };
}

/**
 * Runs the handling of one GraphQL HTTP request inside its span: a child of
 * the caller's `traceparent` when it sent a valid one, else the root of a new
 * trace. Other paths (health probes, metric scrapes) are not traced.
 */
export function traceGraphQLRequests(graphqlPath: string) {
  return (req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>): Promise<void> => {
    if (!recording || new URL(req.url ?? '/', 'http://localhost').pathname !== graphqlPath) return serve();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET' } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    return context.with(trace.setSpan(parent, span), serve);
  };
}

/**
 * The trace of one HTTP request: the recorded span's when spans are made,
 * else the caller's `traceparent`'s, else a new one — so every request's log
 * lines, here and in each subgraph, share one trace id.
 */
export function requestTrace(req: IncomingMessage): RequestTrace {
  const spanContext = recording ? trace.getActiveSpan()?.spanContext() : undefined;
  if (spanContext && trace.isSpanContextValid(spanContext)) return { traceId: spanContext.traceId, flags: spanContext.traceFlags.toString(16).padStart(2, '0') };
  return traceparentOf(req) ?? { traceId: randomHex(16), flags: '00' };
}

/**
 * Names the request's span after its operation (`query Me`) and records the
 * request id, once the operation is known. Requests without HTTP (completing
 * a subscription's update) have no span of their own.
 */
export function requestSpanPlugin<TContext extends BaseContext & { requestId: string }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const span = request.http ? trace.getActiveSpan() : undefined;
      span?.setAttribute('harbour.request_id', contextValue.requestId);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!span || !operation) return;
          span.updateName(`${operation.operation}${operationName ? ` ${operationName}` : ''}`);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ response }) {
          if (span && response.body.kind === 'single' && response.body.singleResult.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };
}

/**
 * One subgraph fetch as a client span, a child of the request's trace; the
 * `traceparent` sent with it (traceHeaders) names this span as the parent.
 */
export function traceSubgraphFetch<T extends { errors?: readonly unknown[] | undefined }>(subgraph: string, fetch: () => Promise<T>): Promise<T> {
  if (!recording) return fetch();
  return tracer().startActiveSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'harbour.subgraph': subgraph } }, async (span) => {
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
  if (recording) propagation.inject(context.active(), headers);
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
