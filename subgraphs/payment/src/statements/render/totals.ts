import { STATEMENT_ROW_TYPES, type StatementRow, type StatementRowType, type StatementTotals } from './types';

/** Totals per row type, all zero: what a statement's header and its check add rows to. */
export function emptyTotals(): Record<StatementRowType, StatementTotals> {
  return Object.fromEntries(STATEMENT_ROW_TYPES.map((type) => [type, { count: 0, gross: 0n, fee: 0n, net: 0n }])) as Record<StatementRowType, StatementTotals>;
}

/** Adds one row to its type's totals. */
export function addToTotals(totals: Record<StatementRowType, StatementTotals>, row: StatementRow): void {
  const own = totals[row.type];
  own.count += 1;
  own.gross += row.gross;
  own.fee += row.fee;
  own.net += row.net;
}
