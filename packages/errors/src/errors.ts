import { GraphQLError } from 'graphql';
import { ErrorCode } from './codes';

type Extensions = Record<string, unknown>;

function error(code: ErrorCode, message: string, extensions: Extensions = {}, httpStatus?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...extensions, code, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/** No token where one is needed, or a bad one. `httpStatus` 401 rejects the whole request. */
export const unauthenticated = (message = 'Authentication required.', httpStatus?: number) =>
  error(ErrorCode.UNAUTHENTICATED, message, {}, httpStatus);

export const forbidden = (message = 'Not allowed.') => error(ErrorCode.FORBIDDEN, message);

/** console.md: money out of a frozen wallet. */
export const walletFrozen = (message = 'This wallet is frozen: no money can leave it. Please contact Harbour support.') => error(ErrorCode.WALLET_FROZEN, message);

/** console.md: a frozen business may not take or pay out money. */
export const businessFrozen = (message = 'This business is frozen: it cannot take or pay out money. Please contact Harbour support.') => error(ErrorCode.BUSINESS_FROZEN, message);

/** A machine token without a scope the field needs: `requiredScopes` names them (partners.md). */
export const missingScopes = (requiredScopes: readonly string[], what: string) =>
  error(ErrorCode.FORBIDDEN, `${what} needs a token with the scope ${requiredScopes.join(' and ')}.`, { requiredScopes: [...requiredScopes] });

export const notFound = (what: string) => error(ErrorCode.NOT_FOUND, `${what} not found.`);

/** `field` names the input that was wrong, so a client can point at it. */
export const badUserInput = (message: string, field?: string) =>
  error(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

export const phoneTaken = () => error(ErrorCode.PHONE_TAKEN, 'This phone number is already registered.');

export const invalidCredentials = () => error(ErrorCode.INVALID_CREDENTIALS, 'Wrong phone number or password.');

/**
 * Over a rate limit: `retryAfterSeconds` says when to try again, `limit` which
 * limit refused. `http` (the gateway's) adds 429 and `Retry-After`.
 */
export const rateLimited = (retryAfterSeconds: number, limit: string, http?: { status: number; headers: Map<string, string> }) =>
  error(ErrorCode.RATE_LIMITED, `Too many requests; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds, limit, ...(http ? { http } : {}) });

/** Trusted-documents mode, and the operation is not registered: the whole request is refused (HTTP 400). */
export const operationNotTrusted = () =>
  error(ErrorCode.OPERATION_NOT_TRUSTED, 'This operation is not registered; the gateway runs only trusted documents.', {}, 400);

/** An APQ hash this gateway has not seen; the message is the one APQ clients look for before sending the full text. */
export const persistedQueryNotFound = () => error(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound');

/** A subgraph needed for part of the answer is down, timed out or its circuit is open; the rest of the answer still comes. */
export const subgraphUnavailable = (serviceName: string) =>
  error(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${serviceName} service is unavailable; this part of the answer is missing.`, { serviceName });

export const internalError = (requestId: string | undefined) =>
  error(
    ErrorCode.INTERNAL_SERVER_ERROR,
    requestId ? `Internal server error. Request id: ${requestId}` : 'Internal server error.',
    requestId ? { requestId } : {},
  );

/** merchant.md: the user is already a member of the business (change their role instead). */
export const alreadyMember = () => error(ErrorCode.ALREADY_MEMBER, 'This user is already a member of the business; change their role instead.');

/** merchant.md: the change would leave the business without an OWNER. */
export const lastOwner = () => error(ErrorCode.LAST_OWNER, 'A business needs at least one OWNER: make another member OWNER first.');

export { error as harbourError };
