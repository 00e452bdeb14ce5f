import type { ApolloServerPlugin, BaseContext, GraphQLRequest } from '@apollo/server';
import { getOperationAST, type OperationTypeNode } from 'graphql';
import { countErrors } from './errors';
import type { GatewayMetrics } from './metrics';

/**
 * The `type` label: the operation's type, `subscription_update` for the
 * queries the gateway runs itself to complete a subscription's update (they
 * have no HTTP request), `unknown` when the document never parsed.
 */
function typeLabel(request: GraphQLRequest, operation: { operation: OperationTypeNode } | undefined): string {
  if (!request.http) return 'subscription_update';
  return operation?.operation ?? 'unknown';
}

/**
 * Requests, their latency per operation, and errors by code, as Apollo
 * answers them: every response (parse and validation failures, refusals of
 * the limits, rate limits and authorization included), plus requests refused
 * before a GraphQL request exists (context creation: a bad token; an
 * invalid HTTP request). Errors of subscription updates are counted when
 * graphql-ws delivers them, once per socket, not here.
 */
export function metricsPlugin<TContext extends BaseContext>(metrics: GatewayMetrics): ApolloServerPlugin<TContext> {
  return {
    async contextCreationDidFail({ error }) {
      countErrors(metrics, [error]);
    },
    async invalidRequestWasReceived({ error }) {
      countErrors(metrics, [error]);
    },
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ request, document, operation, response }) {
          // A document that parsed but failed validation has no resolved operation yet: its own says what it is.
          const sent = operation ?? (document ? (getOperationAST(document, request.operationName) ?? undefined) : undefined);
          const labels = { operation: metrics.operationLabels.of(sent?.name?.value ?? request.operationName), type: typeLabel(request, sent) };
          metrics.requests.inc(labels);
          metrics.requestDuration.observe(labels, (performance.now() - started) / 1000);
          if (request.http && response.body.kind === 'single') countErrors(metrics, response.body.singleResult.errors ?? []);
        },
      };
    },
  };
}
