import { PassThrough, Writable } from 'node:stream';
import { statementPdf } from '../pdf';
import { type StatementHeader, type StatementRow } from '../types';
import { liveHeapBytes } from './heap';
import { extractPdf } from './pdf-text';
import { asAsync, headerFor, syntheticRows } from './statement-fixture';

/** Renders into memory (fine for a test's few pages). */
async function render(header: StatementHeader, rows: Iterable<StatementRow>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await statementPdf(header, asAsync(rows), out);
  return Buffer.concat(chunks);
}

/** Swallows what it is given, counting the bytes. */
class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    done();
  }
}

describe('statementPdf', () => {
  it('renders a multi-page A4 statement with Chinese names that a PDF reader opens', async () => {
    // Page 1 takes 20 rows under its summary, later pages 40: 100 rows are 3 pages.
    const header = headerFor(syntheticRows(100));
    const pdf = await render(header, syntheticRows(100));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The font travels inside the file, cut down to the glyphs used.
    expect(pdf.includes('/FontFile2')).toBe(true);
    expect(pdf.includes('NotoSansHK-Regular')).toBe(true);
    expect(pdf.length).toBeLessThan(400_000);

    const { pages, info } = await extractPdf(pdf);
    expect(pages).toHaveLength(3);
    expect(info.Title).toBe('Statement: 九龍茶餐廳 Kowloon Café');

    const first = pages[0];
    expect(first).toContain('九龍茶餐廳 Kowloon Café');
    expect(first).toContain('Period: 2026-01-01 00:00:00 to 2026-02-01 00:00:00, Hong Kong time (HKT, UTC+08:00)');
    expect(first).toContain('Opening balance HKD 1,000.00');
    expect(first).toContain(`Closing balance HKD ${money(header.closingBalance)}`);
    for (const [label, type] of [
      ['Payment', 'PAYMENT'],
      ['Refund', 'REFUND'],
      ['Payout', 'PAYOUT'],
      ['Payout reversal', 'PAYOUT_REVERSAL'],
      ['Adjustment', 'ADJUSTMENT'],
    ] as const) {
      const t = header.totals[type];
      expect(t.count).toBe(20);
      expect(first).toContain(`\n${label} ${t.count} ${money(t.gross)} ${money(t.fee)} ${money(t.net)}\n`);
    }
    expect(first).toContain('All movements 100');
    expect(first).toContain('2026-01-01 08:00:00 Payment led_000000000000 Payment from 陳大文 #0');

    pages.forEach((page, i) => {
      expect(page).toContain('Time (HKT) Type ID Reference Description Gross Fee Net Balance after');
      expect(page).toContain(`Page ${i + 1} of 3`);
    });
    expect(pages[1]).toContain('Movement for 九龍茶餐廳 #21');
    expect(pages[2]).toContain('#99');
  });

  it('shows an empty period on one page', async () => {
    const { pages } = await extractPdf(await render(headerFor([]), []));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('No movements in this period.');
    expect(pages[0]).toContain('Opening balance HKD 1,000.00');
    expect(pages[0]).toContain('Closing balance HKD 1,000.00');
    expect(pages[0]).toContain('Page 1 of 1');
  });

  it('keeps each row to one line: newlines become spaces, long text ends in an ellipsis, amounts stay whole', async () => {
    const [base] = syntheticRows(1);
    const huge = -99_999_999_999_999n;
    const row = { ...base, description: `第一行\n第二行 ${'九龍茶餐廳 '.repeat(20)}`, reference: null, gross: huge, fee: 0n, net: huge, balanceAfter: 1_000_00n + huge };
    const { pages } = await extractPdf(await render(headerFor([row]), [row]));
    expect(pages[0]).toMatch(/第一行 第二行 九龍茶餐廳[^\n]*… -999,999,999,999.99 0.00 -999,999,999,999.99 -999,999,998,999.99$/m);
  });

  it('rejects, and destroys the output, when the rows disagree with the header', async () => {
    const header = { ...headerFor(syntheticRows(10)), rowCount: 11 };
    const out = new CountingSink();
    await expect(statementPdf(header, asAsync(syntheticRows(10)), out)).rejects.toThrow(
      'statement rows disagree with its header: 10 rows, the header says 11',
    );
    expect(out.destroyed).toBe(true);
  });

  it('stops reading rows while the output is not taking bytes, and resumes when it does', async () => {
    const total = 3000;
    let pulled = 0;
    let held: (() => void)[] = [];
    let open = false;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(_chunk, _encoding, done) {
        if (open) done();
        else held.push(() => done());
      },
    });
    const header = headerFor(syntheticRows(total));
    const finished = statementPdf(header, asAsync(syntheticRows(total, () => (pulled += 1))), out);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // ~32 KB waits (the document's buffer and the output's): a few pages, nowhere near all the rows.
    expect(pulled).toBeGreaterThan(20);
    expect(pulled).toBeLessThan(600);
    open = true;
    const waiting = held;
    held = [];
    for (const release of waiting) release();
    await finished;
    expect(pulled).toBe(total);
  });

  it('fails, and stops reading rows (the cursor is closed), when the output fails', async () => {
    let cursorClosed = false;
    async function* rows() {
      try {
        yield* syntheticRows(5000);
      } finally {
        cursorClosed = true;
      }
    }
    let written = 0;
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        done(written > 50_000 ? new Error('blob upload failed') : null);
      },
    });
    await expect(statementPdf(headerFor(syntheticRows(5000)), rows(), out)).rejects.toThrow('blob upload failed');
    expect(cursorClosed).toBe(true);
  });

  it('keeps memory flat as rows grow (15,000 rows, 375 pages)', async () => {
    const total = 15_000;
    let heapEarly = 0;
    let heapLate = 0;
    const rows = syntheticRows(total, (i) => {
      if (i === 3_000) heapEarly = liveHeapBytes();
      if (i === total - 1) heapLate = liveHeapBytes();
    });
    const out = new CountingSink();
    await statementPdf(headerFor(syntheticRows(total)), asAsync(rows), out);
    // About 1.5 MB of PDF went by; pdfkit keeps a few small objects per page (its page tree, offsets).
    expect(out.bytes).toBeGreaterThan(1_200_000);
    expect(heapLate - heapEarly).toBeLessThan(6 * 1024 * 1024);
  });
});

function money(minor: bigint): string {
  const negative = minor < 0n;
  const magnitude = negative ? -minor : minor;
  const whole = (magnitude / 100n).toLocaleString('en-US');
  return `${negative ? '-' : ''}${whole}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}
