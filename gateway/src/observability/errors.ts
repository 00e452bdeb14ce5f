import { ErrorCode, isContractCode } from '@harbour/errors';
import type { GatewayMetrics } from './metrics';

/** `extensions.code` of a GraphQLError or its formatted form; nothing for a plain Error. */
function codeOf(error: object): unknown {
  return 'extensions' in error ? (error.extensions as { code?: unknown } | undefined)?.code : undefined;
}

/**
 * Counts each error a client receives by its code. Codes outside the
 * contract (and errors without one) are counted as INTERNAL_SERVER_ERROR,
 * which is what the client sees of them once masked; it also keeps the
 * label's values bounded.
 */
export function countErrors(metrics: GatewayMetrics | undefined, errors: readonly object[]): void {
  for (const error of errors) countErrorCode(metrics, codeOf(error));
}

/** Counts one error by its code (see countErrors). */
export function countErrorCode(metrics: GatewayMetrics | undefined, code: unknown): void {
  metrics?.errors.inc({ code: isContractCode(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR });
}
