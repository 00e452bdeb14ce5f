import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isContractCode, maskError } from '@harbour/errors';
import type { Logger } from '@harbour/logger';

interface RequestScoped extends BaseContext {
  requestId: string;
  logger: Logger;
}

/**
 * The trust boundary for errors: contract codes reach the client as they are;
 * everything else is logged with the request id and replaced by
 * INTERNAL_SERVER_ERROR quoting that id. Masking happens when the response is
 * sent, where the request id is known.
 */
export function errorMaskingPlugin<TContext extends RequestScoped>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isContractCode(error.extensions?.code)) continue;
            const original = error.originalError ?? error;
            contextValue.logger.error(
              { err: original, path: error.path, requestId: contextValue.requestId },
              'unexpected error (masked for the client)',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((formatted) =>
            maskError(formatted, undefined, { requestId: contextValue.requestId }),
          );
        },
      };
    },
  };
}
