/**
 * Statements (money-out.md, Statements): the rules in one place. A statement
 * lists every movement of a business's ledger account in [from, to); it is
 * asked for by an OWNER or MANAGER and written by the statements worker
 * (worker/), never in the request path.
 */
import { badUserInput } from '@harbour/errors';
import type { Statement, StatementFormat } from '@harbour/prisma/payment';

/** The longest window one statement may cover. */
export const MAX_STATEMENT_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

/**
 * How long after `to` the worker waits before reading: a money transaction
 * stamps its journal lines with its start and commits a moment later, so a
 * window that has only just ended may still gain rows. Transactions are
 * bounded by the store's lock wait (seconds), well under this.
 */
export const SETTLE_MS = 10_000;

/** Why a statement FAILED (its `failureCode`). */
export const StatementFailure = {
  /** The rows did not add up to the ledger's balances, or the journal disagreed with the balances: nothing was published. */
  NOT_RECONCILED: 'NOT_RECONCILED',
  /** Writing it failed STATEMENT_MAX_ATTEMPTS times (the store or Blob storage). */
  GENERATION_FAILED: 'GENERATION_FAILED',
} as const;

/** `[from, to)` as asked: `from` before `to`, at most 366 days, not ending in the future (its rows would not be known yet). */
export function checkStatementWindow(from: Date, to: Date, now: Date): void {
  if (!(to.getTime() > from.getTime())) throw badUserInput('`to` must be after `from`.', 'to');
  if (to.getTime() - from.getTime() > MAX_STATEMENT_DAYS * DAY_MS) throw badUserInput(`A statement covers at most ${MAX_STATEMENT_DAYS} days.`, 'to');
  if (to.getTime() > now.getTime()) throw badUserInput('`to` must not be in the future: ask for the statement once the window has ended.', 'to');
}

export const STATEMENT_CONTENT_TYPES: Record<StatementFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  PDF: 'application/pdf',
};

/** Where a statement's file lives in the money-out container. */
export const statementBlobName = (statement: Pick<Statement, 'id' | 'businessId' | 'format'>) =>
  `statements/${statement.businessId}/${statement.id}.${statement.format.toLowerCase()}`;

