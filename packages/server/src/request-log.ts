import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '@harbour/logger';

/**
 * One debug line per GraphQL request, written with the request's own logger
 * (request id, trace id): with LOG_LEVEL=debug a request can be followed from
 * the gateway through every subgraph it reached.
 */
export function requestLogPlugin<TContext extends BaseContext & { logger: Logger }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) : 0;
          contextValue.logger.debug({ operation: operationName ?? null, errors, durationMs: Math.round(performance.now() - started) }, 'graphql request');
        },
      };
    },
  };
}
