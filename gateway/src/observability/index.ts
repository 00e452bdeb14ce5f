/** What the gateway reports about itself: Prometheus metrics, traces (OTLP), and the trace context sent to subgraphs. */
export { createGatewayMetrics, type GatewayMetrics } from './metrics';
export { countErrorCode, countErrors } from './errors';
export { metricsPlugin } from './metrics-plugin';
export { CountingPlanCache } from './plan-cache';
export { metricsRoute } from './route';
export { OperationLabels, ANONYMOUS_OPERATION, OTHER_OPERATION } from './operation-labels';
export { startTracing, traceGraphQLRequests, requestTrace, requestSpanPlugin, traceSubgraphFetch, traceHeaders, type RequestTrace, type Tracing, type TracingConfig } from './tracing';
export { countedSubscription } from './subscriptions';
