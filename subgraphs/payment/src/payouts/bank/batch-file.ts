/**
 * The payout batch file Harbour sends the bank, and the answer file the bank
 * sends back: CSV (RFC 4180, UTF-8, CRLF), one file per run, on Blob storage
 * at `payouts/<YYYY-MM-DD>/<batch id>.csv` (the Hong Kong day) and
 * `payouts/<YYYY-MM-DD>/<batch id>.answer.csv`.
 *
 * Batch file: three record types, the first field naming each.
 *
 *   H,<batch id>,<created at, ISO 8601 UTC>,<payout count>,<total amount>,<currency>
 *   D,<payout id>,<bank code>,<branch code>,<account number>,<account holder name>,<amount>,<currency>
 *   T,<batch id>,<payout count>,<total amount>
 *
 * One header, one detail line per payout, one trailer. Amounts are decimal
 * with two places (`1234.50`). The trailer is the control total: the bank
 * refuses a file whose detail lines do not add up to it (and so does
 * `readBatchFile`). The account number is the only place the full number
 * leaves Harbour: the file is private to the bank's connection.
 *
 * Answer file: a header row `payout_id,result,failure_code`, then one row per
 * payout of the batch: `PAID` with an empty code, or `FAILED` with the bank's
 * code (e.g. `ACCOUNT_CLOSED`).
 */
import { formatDecimal } from '@harbour/server';
import { CRLF, csvField } from '../../csv';
import { parseMinor } from './amounts';

export interface BatchLine {
  payoutId: string;
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountHolderName: string;
  amount: bigint;
  currency: string;
}

export interface BatchFile {
  batchId: string;
  createdAt: Date;
  currency: string;
  lines: BatchLine[];
}

export interface AnswerLine {
  payoutId: string;
  result: 'PAID' | 'FAILED';
  failureCode: string | null;
}

export class MalformedBankFile extends Error {
  override name = 'MalformedBankFile';
}

const row = (values: string[]) => `${values.map(csvField).join(',')}${CRLF}`;

export function writeBatchFile(batch: BatchFile): string {
  const total = batch.lines.reduce((sum, line) => sum + line.amount, 0n);
  const count = String(batch.lines.length);
  return [
    row(['H', batch.batchId, batch.createdAt.toISOString(), count, formatDecimal(total), batch.currency]),
    ...batch.lines.map((line) => row(['D', line.payoutId, line.bankCode, line.branchCode, line.accountNumber, line.accountHolderName, formatDecimal(line.amount), line.currency])),
    row(['T', batch.batchId, count, formatDecimal(total)]),
  ].join('');
}

/** RFC 4180 rows (quoted fields with doubled quotes, CRLF or LF line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(current);
      current = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(current);
      rows.push(fields);
      fields = [];
      current = '';
    } else current += char;
  }
  if (quoted) throw new MalformedBankFile('An unterminated quoted field.');
  if (current !== '' || fields.length > 0) rows.push([...fields, current]);
  return rows;
}

/** Reads a batch file back, checking its header and control total against its lines. */
export function readBatchFile(text: string): BatchFile {
  const rows = parseCsv(text);
  const header = rows[0];
  const trailer = rows.at(-1);
  if (header?.[0] !== 'H' || header.length !== 6 || trailer?.[0] !== 'T' || trailer.length !== 4) throw new MalformedBankFile('A batch file starts with H and ends with T.');
  const lines = rows.slice(1, -1).map((values, index): BatchLine => {
    if (values[0] !== 'D' || values.length !== 8) throw new MalformedBankFile(`Line ${index + 2} is not a D record.`);
    const [, payoutId, bankCode, branchCode, accountNumber, accountHolderName, amount, currency] = values as [string, string, string, string, string, string, string, string];
    return { payoutId, bankCode, branchCode, accountNumber, accountHolderName, amount: parseMinor(amount), currency };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0n);
  if (header[1] !== trailer[1]) throw new MalformedBankFile('The header and trailer name different batches.');
  if (Number(header[3]) !== lines.length || Number(trailer[2]) !== lines.length) throw new MalformedBankFile('The payout count does not match the lines.');
  if (parseMinor(header[4]!) !== total || parseMinor(trailer[3]!) !== total) throw new MalformedBankFile('The control total does not match the lines.');
  return { batchId: header[1]!, createdAt: new Date(header[2]!), currency: header[5]!, lines };
}

export function writeAnswerFile(lines: AnswerLine[]): string {
  return [row(['payout_id', 'result', 'failure_code']), ...lines.map((line) => row([line.payoutId, line.result, line.failureCode ?? '']))].join('');
}

export function readAnswerFile(text: string): AnswerLine[] {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(',') !== 'payout_id,result,failure_code') throw new MalformedBankFile('An answer file starts with payout_id,result,failure_code.');
  return rows.map((values, index) => {
    const [payoutId, result, code] = values;
    if (values.length !== 3 || !payoutId || (result !== 'PAID' && result !== 'FAILED')) throw new MalformedBankFile(`Answer line ${index + 2} is malformed.`);
    if (result === 'FAILED' && !code) throw new MalformedBankFile(`Answer line ${index + 2} fails without a code.`);
    return { payoutId, result, failureCode: result === 'FAILED' ? code! : null };
  });
}
