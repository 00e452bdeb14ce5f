import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingConfig {
  /** `service.name` of every span. */
  serviceName: string;
  /** Where spans are exported (OTLP over HTTP, JSON); none: spans are still made, for trace ids and `traceparent`, but not exported. */
  tracesEndpoint: string | undefined;
}

export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const tracer = () => trace.getTracer('harbour-gateway');

/**
 * The process's tracer provider, registered globally (with W3C trace
 * context propagation and async context across awaits), so that the
 * gateway's spans, @apollo/gateway's own (plan, fetch) and the
 * `traceparent` sent to subgraphs all belong to one trace per request.
 */
export function startTracing(config: TracingConfig): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: config.tracesEndpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesEndpoint }))] : [],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}

/**
 * Runs the handling of one GraphQL HTTP request inside its span: a child of
 * the caller's `traceparent` when it sent a valid one, else the root of a new
 * trace. Other paths (health probes, metric scrapes) are not traced.
 */
export function traceGraphQLRequests(graphqlPath: string) {
  return (req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== graphqlPath) return serve();
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

/** The trace this code runs in (for log lines), if any. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
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

/** `traceparent` (and `tracestate`) for an outgoing request from the current span; empty when nothing is traced. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
