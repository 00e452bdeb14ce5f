import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { TracingConfig } from '@harbour/config';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** The tracer of Harbour's own spans (libraries such as @apollo/gateway make theirs with their own). */
export const harbourTracer = (): Tracer => trace.getTracer('harbour');

/** Whether spans are recorded and exported: the tracer provider is process-wide, so is this. */
let recording = false;

export const isTracing = (): boolean => recording;

/**
 * The process's tracer provider, registered globally (with W3C trace
 * context propagation and async context across awaits), so that a
 * service's spans, its libraries' spans and the `traceparent` it sends
 * onwards all belong to the caller's trace. The gateway and every subgraph
 * start it the same way, so one request is one trace across all of them.
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
 * Runs the handling of one GraphQL HTTP request inside its server span: a
 * child of the caller's `traceparent` when it sent a valid one (in a
 * subgraph: the gateway's fetch span), else the root of a new trace. Other
 * paths (health probes, metric scrapes) are not traced.
 */
export function traceGraphQLRequests(graphqlPath: string) {
  return (req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>): Promise<void> => {
    if (!recording || new URL(req.url ?? '/', 'http://localhost').pathname !== graphqlPath) return serve();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = harbourTracer().startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET' } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    return context.with(trace.setSpan(parent, span), serve);
  };
}

/**
 * Names the request's span after its operation (`query Me`; in a subgraph
 * the gateway's name for its fetch, `query Me__user__0`) and records the
 * request id, once the operation is known. Requests without HTTP (the
 * gateway completing a subscription's update) have no span of their own.
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
