import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { checkOperation, checkTokens, type OperationLimits } from './limits';

/**
 * The token limit, before Apollo parses anything (a precheck of the HTTP
 * layer): a POST body's `query`, or a GET's `query` parameter.
 */
export function tokenPrecheck(limits: OperationLimits) {
  return ({ body, search }: { body: unknown; search: string }) => {
    const fromBody = body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
    const query = typeof fromBody === 'string' ? fromBody : new URLSearchParams(search).get('query');
    if (query) checkTokens(query, limits);
  };
}

/**
 * Operation limits at the gateway, after validation and before planning:
 * depth, aliases, root fields and cost. Each refusal is
 * OPERATION_TOO_COMPLEX naming the limit; no subgraph is called.
 */
export function operationLimitsPlugin<TContext extends BaseContext>(limits: OperationLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request: resolved, schema }) {
          if (!operation) return;
          checkOperation(schema, document, operation, (resolved.variables ?? {}) as Record<string, unknown>, limits);
        },
      };
    },
  };
}
