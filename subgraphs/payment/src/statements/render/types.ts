export type StatementRowType = 'PAYMENT' | 'REFUND' | 'PAYOUT' | 'PAYOUT_REVERSAL' | 'ADJUSTMENT';

/** The order in which a statement lists the row types (its totals, its legends). */
export const STATEMENT_ROW_TYPES: readonly StatementRowType[] = ['PAYMENT', 'REFUND', 'PAYOUT', 'PAYOUT_REVERSAL', 'ADJUSTMENT'];

/** One ledger movement of the business. Amounts are signed integer minor units (cents). */
export interface StatementRow {
  occurredAt: Date;
  type: StatementRowType;
  id: string;
  reference: string | null;
  description: string;
  gross: bigint;
  fee: bigint;
  net: bigint;
  balanceAfter: bigint;
  currency: string;
}

export interface StatementTotals {
  count: number;
  gross: bigint;
  fee: bigint;
  net: bigint;
}

/** What the caller knows before the rows: the window `[from, to)`, the balances at its ends, and the totals of its rows. */
export interface StatementHeader {
  businessName: string;
  from: Date;
  to: Date;
  currency: string;
  openingBalance: bigint;
  closingBalance: bigint;
  totals: Record<StatementRowType, StatementTotals>;
  rowCount: number;
  generatedAt: Date;
}
