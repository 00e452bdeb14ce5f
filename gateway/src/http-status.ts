import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@harbour/errors';

/** Codes that, when they are the whole answer, say so in the HTTP status too (the contract). */
const WHOLE_REQUEST_STATUS: Partial<Record<string, number>> = {
  [ErrorCode.IDEMPOTENCY_KEY_IN_USE]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
};

/**
 * When every error of a response has the same such code and no field has
 * data, the HTTP status says it (409 for IDEMPOTENCY_KEY_IN_USE, 429 with
 * `Retry-After` for a subgraph's RATE_LIMITED, such as logIn's per-account
 * limit): a client or proxy can act on the status alone.
 */
export function httpStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (!errors?.length) return;
          const codes = new Set(errors.map((error) => error.extensions?.code));
          const [code] = codes;
          const status = codes.size === 1 && typeof code === 'string' ? WHOLE_REQUEST_STATUS[code] : undefined;
          const noData = !data || Object.values(data).every((value) => value === null);
          if (!status || !noData) return;
          response.http.status = status;
          if (code === ErrorCode.RATE_LIMITED) {
            const waits = errors.map((error) => error.extensions?.retryAfterSeconds).filter((seconds): seconds is number => typeof seconds === 'number');
            if (waits.length) response.http.headers.set('retry-after', String(Math.max(...waits)));
          }
        },
      };
    },
  };
}
