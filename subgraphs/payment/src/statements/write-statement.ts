import { PassThrough } from 'node:stream';
import type { BlobStore } from '@harbour/blob';
import type { PaymentStore, Statement } from '@harbour/prisma/payment';
import { LedgerMismatch, movements, windowBalances } from './ledger';
import { addToTotals, emptyTotals, statementCsv, statementPdf, type StatementHeader, type StatementRow } from './render';
import { STATEMENT_CONTENT_TYPES, statementBlobName } from './rules';

export interface WrittenStatement {
  blobName: string;
  byteCount: number;
  rowCount: number;
  openingBalance: bigint;
  closingBalance: bigint;
}

export interface WriteStatementDeps {
  store: PaymentStore;
  files: BlobStore;
  /** The business's ledger account in the statement's currency. */
  accountId: string;
  now: () => Date;
  /** Entries per database page (movements). */
  pageSize?: number;
}

/**
 * Writes one statement's file to Blob storage, streamed from the database
 * (a page of movements at a time) through the CSV or PDF writer into the
 * blob (a block at a time), each side waiting for the other: no whole file
 * and no whole result set is ever held. Then it reconciles: the balance at
 * `from` plus every row's net must be the balance at `to`, to the cent. A
 * statement that does not reconcile is deleted and LedgerMismatch thrown;
 * nothing half-right is ever published.
 *
 * A PDF prints its totals on the first page, before its rows: it reads the
 * movements twice, once to total them and once to draw them.
 */
export async function writeStatement(deps: WriteStatementDeps, statement: Statement): Promise<WrittenStatement> {
  const { opening, closing } = await windowBalances(deps.store, deps.accountId, statement.from, statement.to);
  const rows = () => movements(deps.store, { accountId: deps.accountId, from: statement.from, to: statement.to, currency: statement.currency, opening, pageSize: deps.pageSize });
  const blobName = statementBlobName(statement);
  const contentType = STATEMENT_CONTENT_TYPES[statement.format];
  const tally = new Reconciliation(opening);

  let byteCount: number;
  if (statement.format === 'CSV') {
    byteCount = await deps.files.upload(blobName, statementCsv(tally.count(rows())), { contentType });
  } else {
    const totals = new Reconciliation(opening);
    for await (const row of totals.count(rows())) void row;
    totals.check(closing);
    const header: StatementHeader = {
      businessName: statement.businessName,
      from: statement.from,
      to: statement.to,
      currency: statement.currency,
      openingBalance: opening,
      closingBalance: closing,
      totals: totals.byType,
      rowCount: totals.rowCount,
      generatedAt: deps.now(),
    };
    const pdf = new PassThrough();
    const [, uploaded] = await Promise.all([statementPdf(header, tally.count(rows()), pdf), deps.files.upload(blobName, pdf, { contentType })]);
    byteCount = uploaded;
  }
  try {
    tally.check(closing);
  } catch (error) {
    await deps.files.delete(blobName);
    throw error;
  }
  return { blobName, byteCount, rowCount: tally.rowCount, openingBalance: opening, closingBalance: closing };
}

/** Counts and totals rows as they pass, and checks that they run from the opening balance to the closing one. */
class Reconciliation {
  rowCount = 0;
  readonly byType = emptyTotals();
  private balance: bigint;

  constructor(private readonly opening: bigint) {
    this.balance = opening;
  }

  async *count(rows: AsyncIterable<StatementRow>): AsyncGenerator<StatementRow, void, undefined> {
    for await (const row of rows) {
      this.balance += row.net;
      if (row.balanceAfter !== this.balance || row.gross + row.fee !== row.net) throw new LedgerMismatch(`row ${row.id} does not add up`);
      addToTotals(this.byType, row);
      this.rowCount += 1;
      yield row;
    }
  }

  check(closing: bigint): void {
    if (this.balance !== closing) {
      throw new LedgerMismatch(`the rows run from ${this.opening} to ${this.balance}, but the ledger's balance at the window's end is ${closing}`);
    }
  }
}
