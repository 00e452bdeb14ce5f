/** What the gateway reports about itself: Prometheus metrics, traces (OTLP), and the trace context sent to subgraphs. */
export { createGatewayMetrics, type GatewayMetrics } from './metrics';
export { countErrorCode, countErrors } from './errors';
export { metricsPlugin } from './metrics-plugin';
export { CountingPlanCache } from './plan-cache';
export { requestTrace, traceSubgraphFetch, traceHeaders, type RequestTrace } from './tracing';
export { countedSubscription } from './subscriptions';
