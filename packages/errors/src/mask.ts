import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isContractCode } from './codes';

export interface MaskOptions {
  requestId?: string | undefined;
  /** Called with every error that is masked, so it can be logged with the request id. */
  onMasked?: (formatted: GraphQLFormattedError, original: unknown) => void;
}

/**
 * What a client may see of an error: a contract code and its message pass
 * through (with their safe extensions); anything else becomes
 * INTERNAL_SERVER_ERROR with a request id. Stack traces, SQL, Prisma messages
 * and host names never leave.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown, options: MaskOptions = {}): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const code = extensions.code;
  if (isContractCode(code)) {
    // `response` is how Apollo's gateway describes a subgraph's HTTP error: its URL names an internal host.
    const { stacktrace: _stack, exception: _exception, http: _http, response: _response, ...safe } = extensions as Record<string, unknown>;
    return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}), extensions: safe };
  }
  options.onMasked?.(formatted, original);
  const requestId = options.requestId;
  return {
    message: requestId ? `Internal server error. Request id: ${requestId}` : 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}
