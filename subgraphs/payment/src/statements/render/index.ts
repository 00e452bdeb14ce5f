/** Rendering of a business's account statement: pure streaming writers, fed rows by the caller (a database cursor). */
export { decimalAmount, groupedAmount } from './amount';
export { statementCsv, statementCsvLine, STATEMENT_CSV_CHUNK_BYTES, STATEMENT_CSV_COLUMNS, type StatementCsvOptions } from './csv';
export { hongKongTime, HONG_KONG_TIME_ZONE } from './hong-kong-time';
export { statementFontPath, statementPdf } from './pdf';
export { STATEMENT_ROW_TYPES, type StatementHeader, type StatementRow, type StatementRowType, type StatementTotals } from './types';
export { addToTotals, emptyTotals } from './totals';
