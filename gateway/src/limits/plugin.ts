import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { checkOperation, checkTokens, type OperationLimits } from './limits';

/** Documents remembered as within the token limit (the oldest goes first), and the longest one remembered. */
const PASSED_DOCUMENTS = 1_000;
const PASSED_DOCUMENT_MAX_LENGTH = 16 * 1024;

/**
 * The token limit, before Apollo parses anything (a precheck of the HTTP
 * layer): a POST body's `query`, or a GET's `query` parameter. Apps send the
 * same few documents over and over: one that passed is remembered by its
 * text and not lexed again.
 */
export function tokenPrecheck(limits: OperationLimits) {
  const passed = new Set<string>();
  return ({ body, search }: { body: unknown; search: string }) => {
    const fromBody = body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
    const query = typeof fromBody === 'string' ? fromBody : new URLSearchParams(search).get('query');
    if (!query || passed.has(query)) return;
    checkTokens(query, limits);
    if (query.length > PASSED_DOCUMENT_MAX_LENGTH) return;
    if (passed.size >= PASSED_DOCUMENTS) passed.delete(passed.values().next().value!);
    passed.add(query);
  };
}

/**
 * Operation limits at the gateway, after validation and before planning:
 * depth, aliases, root fields and cost. Each refusal is
 * OPERATION_TOO_COMPLEX naming the limit; no subgraph is called.
 *
 * Apollo Server keeps one parsed document per query text, so the same
 * operation node comes back with every request for it. An operation that
 * passed without any `first` from a variable passes whatever the variables
 * are: it is remembered with its node (and the schema it was checked
 * against) and not walked again. One that reads `first` from a variable is
 * checked every time, with that request's variables.
 */
export function operationLimitsPlugin<TContext extends BaseContext>(limits: OperationLimits): ApolloServerPlugin<TContext> {
  const passed = new WeakMap<OperationDefinitionNode, GraphQLSchema>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request: resolved, schema }) {
          if (!operation || passed.get(operation) === schema) return;
          const { readsVariables } = checkOperation(schema, document, operation, (resolved.variables ?? {}) as Record<string, unknown>, limits);
          if (!readsVariables) passed.set(operation, schema);
        },
      };
    },
  };
}
