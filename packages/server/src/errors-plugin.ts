import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, isContractCode, maskError } from '@harbour/errors';
import type { GraphQLError } from 'graphql';
import type { Logger } from '@harbour/logger';

interface RequestScoped extends BaseContext {
  requestId: string;
  logger: Logger;
}

/**
 * Apollo Server refuses a few malformed requests with an error of its own
 * that has HTTP 400 but no code (an APQ whose sha256Hash is not its query's,
 * "provided sha does not match query"): the request is the client's mistake,
 * so it is BAD_REQUEST, not an internal error. Only an error Apollo made
 * itself (no original error, no path) is taken so; its message is Apollo's own.
 */
function isUncodedBadRequest(error: GraphQLError): boolean {
  const http = error.extensions?.http as { status?: unknown } | undefined;
  return error.extensions?.code === undefined && http?.status === 400 && !error.path && !error.originalError;
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
            if (isUncodedBadRequest(error)) error.extensions.code = ErrorCode.BAD_REQUEST;
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
