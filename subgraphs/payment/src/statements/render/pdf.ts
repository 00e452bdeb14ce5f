import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
// pdfkit's CommonJS build, as `require` picks it: the ES build that an `import`
// picks finds its data files through `import.meta.url`, which a CommonJS
// bundle (scripts/build-service.ts) leaves empty, and fails on load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import PDFDocument = require('pdfkit');
import { groupedAmount } from './amount';
import { hongKongTime } from './hong-kong-time';
import { addToTotals, emptyTotals } from './totals';
import { STATEMENT_ROW_TYPES, type StatementHeader, type StatementRow, type StatementRowType, type StatementTotals } from './types';

const FONT_FILE = '@expo-google-fonts/noto-sans-hk/400Regular/NotoSansHK_400Regular.ttf';
let fontPath: string | undefined;

/**
 * Noto Sans HK (SIL Open Font License): Traditional Chinese with Hong Kong's
 * glyph forms and HKSCS characters (嘅, 㗎), plus Latin, in one TrueType file.
 * pdfkit embeds only the glyphs a statement uses, so a PDF carries a few
 * hundred KB of it, not the file's 7 MB. Found when first needed, so that a
 * missing font fails statements, not the process that imports this; a worker
 * may call it at start to fail early.
 */
export function statementFontPath(): string {
  if (fontPath === undefined) {
    try {
      fontPath = require.resolve(FONT_FILE);
    } catch (error) {
      throw new Error(`the statement font ${FONT_FILE} is not installed (a service bundle must carry it)`, { cause: error });
    }
  }
  return fontPath;
}

const MARGIN = 36;
const FONT_SIZE = 7.5;
const ROW_HEIGHT = 12;
const HEADINGS_HEIGHT = 16;
/** The line above the table on every page after the first. */
const RUNNING_HEAD_HEIGHT = 18;
const CELL_PADDING = 3;
const MUTED = '#555555';
const RULE = '#999999';

const TYPE_LABELS: Record<StatementRowType, string> = {
  PAYMENT: 'Payment',
  REFUND: 'Refund',
  PAYOUT: 'Payout',
  PAYOUT_REVERSAL: 'Payout reversal',
  ADJUSTMENT: 'Adjustment',
};

interface Column {
  heading: string;
  /** Points; the description takes what the others leave. */
  width?: number;
  align: 'left' | 'right';
  cell(row: StatementRow): string;
}

const COLUMNS: readonly Column[] = [
  { heading: 'Time (HKT)', width: 82, align: 'left', cell: (row) => hongKongTime(row.occurredAt) },
  { heading: 'Type', width: 62, align: 'left', cell: (row) => TYPE_LABELS[row.type] },
  { heading: 'ID', width: 110, align: 'left', cell: (row) => row.id },
  { heading: 'Reference', width: 100, align: 'left', cell: (row) => row.reference ?? '' },
  { heading: 'Description', align: 'left', cell: (row) => row.description },
  { heading: 'Gross', width: 64, align: 'right', cell: (row) => groupedAmount(row.gross) },
  { heading: 'Fee', width: 64, align: 'right', cell: (row) => groupedAmount(row.fee) },
  { heading: 'Net', width: 64, align: 'right', cell: (row) => groupedAmount(row.net) },
  { heading: 'Balance after', width: 64, align: 'right', cell: (row) => groupedAmount(row.balanceAfter) },
];

/**
 * The statement as a PDF on A4 landscape pages, written to `out` as it is
 * made: page 1 has the business, the window (Hong Kong time), the opening and
 * closing balances and the totals per type; the rows follow as a table with
 * its headings and "Page n of N" on every page. Only the page being drawn is
 * held, so memory stays flat however many rows there are.
 *
 * `header` comes first because the caller computes it before the rows; the
 * rows must agree with it (count, totals, currency, opening + net = closing),
 * or this rejects and `out` is destroyed rather than left with a statement
 * whose summary contradicts its lines. Resolves when `out` has finished.
 */
export async function statementPdf(
  header: StatementHeader,
  rows: AsyncIterable<StatementRow> | Iterable<StatementRow>,
  out: Writable,
): Promise<void> {
  let doc: PDFKit.PDFDocument;
  try {
    doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: MARGIN,
      autoFirstPage: false,
      // The statement's font from the start: pdfkit's default, Helvetica, is then never loaded (nor needed in a bundle).
      font: statementFontPath(),
      info: {
        Title: `Statement: ${header.businessName}`,
        Author: 'Harbour',
        Subject: `${hongKongTime(header.from)} to ${hongKongTime(header.to)} (Hong Kong time)`,
        CreationDate: header.generatedAt,
      },
    });
  } catch (error) {
    // No font, or one pdfkit cannot read: the output is as failed as the statement.
    out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  const written = pipeline(doc, out);
  // Keep a failure of `out` from being unhandled while rows are still being drawn; it is awaited below.
  written.catch(() => undefined);
  try {
    const pages = new StatementPages(doc, header);
    const tally = new RowTally();
    for await (const row of rows) {
      tally.add(row);
      pages.drawRow(row);
      if (doc.destroyed) await outputGone(written);
      if (doc.readableLength > doc.readableHighWaterMark) await drained(doc, out, written);
    }
    tally.assertMatches(header);
    doc.end();
  } catch (error) {
    doc.destroy(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => undefined);
    throw error;
  }
  await written;
}

/**
 * pdfkit pushes what it makes without asking whether the reader keeps up, so
 * the rows wait here while the document holds more than its high-water mark:
 * until `out` drains (the pipe then resumes the document), or for a turn of
 * the event loop when `out` has room and the pipe only has to catch up.
 */
async function drained(doc: PDFKit.PDFDocument, out: Writable, written: Promise<void>): Promise<void> {
  while (doc.readableLength > doc.readableHighWaterMark && !doc.destroyed) {
    if (out.writableNeedDrain) {
      const abandon = new AbortController();
      try {
        await Promise.race([once(out, 'drain', { signal: abandon.signal }), written]);
      } finally {
        abandon.abort();
      }
    } else {
      await nextTurn();
    }
  }
  if (doc.destroyed) await outputGone(written);
}

async function outputGone(written: Promise<void>): Promise<never> {
  await written;
  throw new Error('the statement output closed before the statement was complete');
}

/** Lays out the pages: the summary on page 1, then rows, a new page (running head, headings, footer) when one fills. */
class StatementPages {
  private readonly columns: { column: Column; x: number; width: number }[];
  private readonly bottom: number;
  private readonly pageCount: number;
  private page = 0;
  private y = 0;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly header: StatementHeader,
  ) {
    doc.addPage();
    const usable = doc.page.width - 2 * MARGIN;
    const fixed = COLUMNS.reduce((sum, column) => sum + (column.width ?? 0), 0);
    let x = MARGIN;
    this.columns = COLUMNS.map((column) => {
      const width = column.width ?? usable - fixed;
      const placed = { column, x, width };
      x += width;
      return placed;
    });
    this.bottom = doc.page.height - MARGIN;
    this.page = 1;
    this.y = this.drawSummary();
    // Rows are one line each, so the page count follows from the row count.
    const firstPageRows = Math.max(0, Math.floor((this.bottom - this.y - HEADINGS_HEIGHT) / ROW_HEIGHT));
    const laterPageRows = Math.floor((this.bottom - MARGIN - RUNNING_HEAD_HEIGHT - HEADINGS_HEIGHT) / ROW_HEIGHT);
    this.pageCount = header.rowCount <= firstPageRows ? 1 : 1 + Math.ceil((header.rowCount - firstPageRows) / laterPageRows);
    this.drawFooter();
    if (header.rowCount === 0) {
      this.write('No movements in this period.', MARGIN, this.y, 9, MUTED);
    } else if (firstPageRows > 0) {
      this.drawHeadings();
    } else {
      this.y = this.bottom;
    }
  }

  drawRow(row: StatementRow): void {
    if (this.y + ROW_HEIGHT > this.bottom) this.nextPage();
    this.doc.fontSize(FONT_SIZE).fillColor('black');
    for (const { column, x, width } of this.columns) {
      this.cell(column.cell(row), x, width, column.align);
    }
    this.y += ROW_HEIGHT;
  }

  private nextPage(): void {
    this.doc.addPage();
    forgetLayouts(this.doc);
    this.page += 1;
    this.y = MARGIN;
    const { businessName, from, to, currency } = this.header;
    this.write(
      `${oneLine(businessName)}  ·  statement ${hongKongTime(from)} to ${hongKongTime(to)} (Hong Kong time)  ·  amounts in ${currency}`,
      MARGIN,
      this.y,
      8,
      MUTED,
    );
    this.y += RUNNING_HEAD_HEIGHT;
    this.drawHeadings();
    this.drawFooter();
  }

  /** Page 1's summary; answers where the table may start. */
  private drawSummary(): number {
    const { header } = this;
    const money = (minor: bigint) => `${header.currency} ${groupedAmount(minor)}`;
    let y = MARGIN;
    this.write('Account statement', MARGIN, y, 16, 'black');
    y += 24;
    this.write(oneLine(header.businessName), MARGIN, y, 13, 'black');
    y += 22;
    this.write(
      `Period: ${hongKongTime(header.from)} to ${hongKongTime(header.to)}, Hong Kong time (HKT, UTC+08:00); the end is excluded.`,
      MARGIN,
      y,
      9,
      'black',
    );
    y += 14;
    this.write(
      `All times in this statement are Hong Kong time. Amounts in ${header.currency}. Generated ${hongKongTime(header.generatedAt)} HKT.`,
      MARGIN,
      y,
      9,
      MUTED,
    );
    y += 22;
    const labelX = MARGIN;
    const valueRight = MARGIN + 260;
    for (const [label, amount] of [
      ['Opening balance', header.openingBalance],
      ['Closing balance', header.closingBalance],
    ] as const) {
      this.write(label, labelX, y, 10, 'black');
      this.writeRight(money(amount), valueRight, y, 10, 'black');
      y += 15;
    }
    y += 12;

    // Totals per type: Type | Count | Gross | Fee | Net.
    const right = [MARGIN + 180, MARGIN + 280, MARGIN + 380, MARGIN + 480];
    const line = (cells: string[], color: string) => {
      this.write(cells[0], MARGIN, y, 9, color);
      cells.slice(1).forEach((text, i) => this.writeRight(text, right[i], y, 9, color));
      y += 14;
    };
    line(['Totals', 'Count', 'Gross', 'Fee', 'Net'], MUTED);
    this.rule(y - 3, MARGIN, right[3]);
    const all: StatementTotals = { count: 0, gross: 0n, fee: 0n, net: 0n };
    for (const type of STATEMENT_ROW_TYPES) {
      const totals = header.totals[type];
      line([TYPE_LABELS[type], String(totals.count), groupedAmount(totals.gross), groupedAmount(totals.fee), groupedAmount(totals.net)], 'black');
      all.count += totals.count;
      all.gross += totals.gross;
      all.fee += totals.fee;
      all.net += totals.net;
    }
    this.rule(y - 3, MARGIN, right[3]);
    line(['All movements', String(all.count), groupedAmount(all.gross), groupedAmount(all.fee), groupedAmount(all.net)], 'black');
    y += 16;
    this.write('Movements', MARGIN, y, 11, 'black');
    return y + 18;
  }

  private drawHeadings(): void {
    this.doc.fontSize(FONT_SIZE).fillColor(MUTED);
    for (const { column, x, width } of this.columns) this.cell(column.heading, x, width, column.align);
    this.rule(this.y + ROW_HEIGHT, MARGIN, this.doc.page.width - MARGIN);
    this.y += HEADINGS_HEIGHT;
  }

  private drawFooter(): void {
    this.writeRight(`Page ${this.page} of ${this.pageCount}`, this.doc.page.width - MARGIN, this.doc.page.height - MARGIN + 12, 8, MUTED);
  }

  /**
   * One table cell on the current line. Text too long for its column is cut
   * with an ellipsis; an amount (right-aligned) never is: it is set smaller
   * until it fits, since a cut amount would misstate the statement.
   */
  private cell(text: string, x: number, width: number, align: 'left' | 'right'): void {
    const room = width - 2 * CELL_PADDING;
    if (align === 'right') {
      const fullWidth = this.doc.widthOfString(text);
      const scale = Math.min(1, room / fullWidth);
      if (scale < 1) this.doc.fontSize(FONT_SIZE * scale);
      // No `width`: pdfkit would then wrap (and add pages) by itself, and slowly.
      this.doc.text(text, x + CELL_PADDING + room - fullWidth * scale, this.y, { lineBreak: false });
      if (scale < 1) this.doc.fontSize(FONT_SIZE);
      return;
    }
    const fitted = fit(this.doc, oneLine(text), room);
    this.doc.text(fitted.text, x + CELL_PADDING, this.y, { lineBreak: false });
  }

  private write(text: string, x: number, y: number, size: number, color: string): void {
    this.doc.fontSize(size).fillColor(color).text(text, x, y, { lineBreak: false });
  }

  private writeRight(text: string, right: number, y: number, size: number, color: string): void {
    this.doc.fontSize(size);
    this.write(text, right - this.doc.widthOfString(text), y, size, color);
  }

  private rule(y: number, from: number, to: number): void {
    this.doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(from, y).lineTo(to, y).stroke().restore();
  }
}

/**
 * pdfkit caches the shaping of every distinct word it sets, for the life of
 * the document, and never evicts: with an id, a time and amounts unique to
 * each row it would grow with the row count (about 1 KB a word). Without the
 * cache (`fontLayoutCache: false`) every cell is shaped twice through the CJK
 * font's lookups, about 1 ms a row. So the cache stays on and is emptied at
 * each page: it then holds one page's words. `layoutCache` is pdfkit's own
 * field (pinned version); if a later pdfkit drops it there is nothing to
 * empty, and the flat-memory test says whether it grew something else.
 */
function forgetLayouts(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: { layoutCache?: object } })._font;
  if (font?.layoutCache) font.layoutCache = Object.create(null);
}

/** Control characters (a newline in a description) would break a one-line cell. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function fit(doc: PDFKit.PDFDocument, text: string, room: number): { text: string; width: number } {
  const width = doc.widthOfString(text);
  if (width <= room) return { text, width };
  const characters = Array.from(text);
  let keep = 0;
  let keptWidth = doc.widthOfString('…');
  let low = 0;
  let high = characters.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidateWidth = doc.widthOfString(`${characters.slice(0, middle).join('')}…`);
    if (candidateWidth <= room) {
      keep = middle;
      keptWidth = candidateWidth;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return { text: `${characters.slice(0, keep).join('').trimEnd()}…`, width: keptWidth };
}

/** What the rows add up to, to hold them against the header the caller computed first. */
class RowTally {
  private readonly totals = emptyTotals();
  private count = 0;
  private net = 0n;
  private currencies = new Set<string>();

  add(row: StatementRow): void {
    addToTotals(this.totals, row);
    this.count += 1;
    this.net += row.net;
    this.currencies.add(row.currency);
  }

  assertMatches(header: StatementHeader): void {
    const problems: string[] = [];
    if (this.count !== header.rowCount) problems.push(`${this.count} rows, the header says ${header.rowCount}`);
    for (const currency of this.currencies) {
      if (currency !== header.currency) problems.push(`a row in ${currency}, the statement is in ${header.currency}`);
    }
    for (const type of STATEMENT_ROW_TYPES) {
      const rows = this.totals[type];
      const said = header.totals[type];
      if (rows.count !== said.count || rows.gross !== said.gross || rows.fee !== said.fee || rows.net !== said.net) {
        problems.push(`${type} rows total ${describe(rows)}, the header says ${describe(said)}`);
      }
    }
    if (header.openingBalance + this.net !== header.closingBalance) {
      problems.push(`opening ${header.openingBalance} + net ${this.net} is not the closing ${header.closingBalance}`);
    }
    if (problems.length > 0) throw new Error(`statement rows disagree with its header: ${problems.join('; ')}`);
  }
}

function describe(totals: StatementTotals): string {
  return `${totals.count} / gross ${totals.gross} / fee ${totals.fee} / net ${totals.net}`;
}
