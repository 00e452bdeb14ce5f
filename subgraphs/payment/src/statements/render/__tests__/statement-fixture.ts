import { STATEMENT_ROW_TYPES, type StatementHeader, type StatementRow, type StatementRowType, type StatementTotals } from '../types';

export const PAYERS = ['陳大文', '九龍茶餐廳', 'Chan Tai Man', '李小龍', 'ACME Trading Ltd'];

/** Row `i` of a deterministic statement, every type in turn, starting from `balanceBefore`. */
export function syntheticRow(i: number, balanceBefore: bigint): StatementRow {
  const type = STATEMENT_ROW_TYPES[i % STATEMENT_ROW_TYPES.length];
  const magnitude = BigInt(((i * 7919) % 500_000) + 1);
  const gross = type === 'PAYMENT' || type === 'PAYOUT_REVERSAL' ? magnitude : -magnitude;
  const fee = type === 'PAYMENT' ? -BigInt(i % 300) : 0n;
  return {
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    type,
    id: `led_${i.toString(36).padStart(12, '0')}`,
    reference: i % 3 === 0 ? null : `INV-${i}`,
    description: `${type === 'PAYMENT' ? 'Payment from' : 'Movement for'} ${PAYERS[i % PAYERS.length]} #${i}`,
    gross,
    fee,
    net: gross + fee,
    balanceAfter: balanceBefore + gross + fee,
    currency: 'HKD',
  };
}

export const OPENING_BALANCE = 1_000_00n;

export function* syntheticRows(count: number, onRow?: (index: number) => void): Generator<StatementRow> {
  let balance = OPENING_BALANCE;
  for (let i = 0; i < count; i++) {
    onRow?.(i);
    const row = syntheticRow(i, balance);
    balance = row.balanceAfter;
    yield row;
  }
}

/** The header a caller would compute first, from the same rows. */
export function headerFor(rows: Iterable<StatementRow>, businessName = '九龍茶餐廳 Kowloon Café'): StatementHeader {
  const totals = Object.fromEntries(
    STATEMENT_ROW_TYPES.map((type) => [type, { count: 0, gross: 0n, fee: 0n, net: 0n }]),
  ) as Record<StatementRowType, StatementTotals>;
  let rowCount = 0;
  let closingBalance = OPENING_BALANCE;
  for (const row of rows) {
    const t = totals[row.type];
    t.count += 1;
    t.gross += row.gross;
    t.fee += row.fee;
    t.net += row.net;
    rowCount += 1;
    closingBalance += row.net;
  }
  return {
    businessName,
    // [2026-01-01, 2026-02-01) in Hong Kong.
    from: new Date('2025-12-31T16:00:00Z'),
    to: new Date('2026-01-31T16:00:00Z'),
    currency: 'HKD',
    openingBalance: OPENING_BALANCE,
    closingBalance,
    totals,
    rowCount,
    generatedAt: new Date('2026-02-01T01:30:00Z'),
  };
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}
