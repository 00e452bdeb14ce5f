/** What every Harbour process reports about itself: Prometheus metrics at `/metrics` and OTel traces over OTLP. */
export { createSubgraphMetrics, subgraphMetricsPlugin, clientOperationName, requestSeries, LATENCY_BUCKETS, type RequestSeries, type SubgraphMetrics, type ConnectionPoolStats, type OutboxFigures, type StorePoolOptions } from './metrics';
export { OperationLabels, ANONYMOUS_OPERATION, OTHER_OPERATION } from './operation-labels';
export { metricsRoute } from './route';
export { startTracing, isTracing, harbourTracer, traceGraphQLRequests, requestSpanPlugin, type Tracing } from './tracing';
