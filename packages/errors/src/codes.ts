/**
 * The contract's error codes (`errors[].extensions.code`), one catalogue for
 * every service. See ../shared/contract/README.md, "Error codes".
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  PHONE_TAKEN: 'PHONE_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  PAYMENT_REQUEST_NOT_PAYABLE: 'PAYMENT_REQUEST_NOT_PAYABLE',
  PAYMENT_REQUEST_NOT_PENDING: 'PAYMENT_REQUEST_NOT_PENDING',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  REFUND_EXCEEDS_PAYMENT: 'REFUND_EXCEEDS_PAYMENT',
  INVALID_QR: 'INVALID_QR',
  QR_NOT_SUPPORTED: 'QR_NOT_SUPPORTED',
  /** merchant.md: adding a user who is already a member of the business. */
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  /** merchant.md: removing or demoting the business's last OWNER. */
  LAST_OWNER: 'LAST_OWNER',
  /** merchant.md: paying a link that is inactive, expired or used up. */
  PAYMENT_LINK_NOT_PAYABLE: 'PAYMENT_LINK_NOT_PAYABLE',
  PAYOUT_ACCOUNT_REQUIRED: 'PAYOUT_ACCOUNT_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** console.md: money out of a frozen wallet (payments, transfers, top-ups). */
  WALLET_FROZEN: 'WALLET_FROZEN',
  /** console.md: a frozen business asked to take or pay out money. */
  BUSINESS_FROZEN: 'BUSINESS_FROZEN',
  OPERATION_TOO_COMPLEX: 'OPERATION_TOO_COMPLEX',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  OPERATION_NOT_TRUSTED: 'OPERATION_NOT_TRUSTED',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const known = new Set<string>(Object.values(ErrorCode));

/** Codes that may reach a client as they are; anything else is masked. */
export function isContractCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && known.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR;
}
