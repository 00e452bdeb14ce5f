/**
 * One step of writing a statement, alone in a process of its own, for
 * `npm run bench:statements -- --steps`: what each step costs in time and
 * memory, to tell which one dominates.
 *
 *   node --import tsx bench/support/statement-steps.ts <step> <database url> <account id> <from> <to> [connection string]
 *
 * Steps, each adding one to the one before:
 * - `driver`: the worker's page query (ledger.ts movementPageSql),
 *   page after page by the same keyset, on the mariadb driver alone, rows
 *   dropped: the database and the wire;
 * - `prisma`: the same through Prisma (`$queryRaw`, as movementPage): the
 *   query engine and its row decoding added;
 * - `rows`: ledger.ts movements() itself, every StatementRow made;
 * - `csv`: statementCsv(movements()), the CSV chunks made and dropped;
 * - `upload`: BlobStore.upload of that CSV to Azurite: what the worker does
 *   (writeStatement, its reconciliation aside);
 * - `driver-upload`: the same as `upload` with the page query on the
 *   mariadb driver instead of Prisma (ledger.ts statementRow on its rows, the
 *   same read-ahead of one page): what the worker would cost without
 *   Prisma's decoding of its rows.
 *
 * Prints one JSON line: the step, rows, ms, peak RSS (VmHWM) and the largest
 * V8 heap / external / array-buffer figures seen (sampled every 50 ms).
 */
import { BlobStore } from '@harbour/blob';
import { mariadbAdapter } from '@harbour/prisma';
import { createPaymentStore, type PaymentStore } from '@harbour/prisma/payment';
import { movementPageSql, movements, statementRow } from '../../subgraphs/payment/src/statements/ledger';
import { statementCsv, type StatementRow } from '../../subgraphs/payment/src/statements/render';
import { procMemory } from './proc-stats';

const PAGE = 2_000;
const [step, databaseUrl, accountId, fromIso, toIso, connectionString] = process.argv.slice(2);
const STEPS = ['driver', 'prisma', 'rows', 'csv', 'upload', 'driver-upload'];
if (!step || !STEPS.includes(step) || !databaseUrl || !accountId || !fromIso || !toIso) {
  throw new Error(`usage: statement-steps.ts <${STEPS.join('|')}> <database url> <account id> <from> <to> [connection string]`);
}
const from = new Date(fromIso);
const to = new Date(toIso);

/** The worker's page query itself (ledger.ts), as text and parameters for the driver. */
const pageSql = (after: { createdAt: Date; entryId: string }) => movementPageSql({ accountId: accountId!, from, to }, after, PAGE);

interface PageRow {
  entry_id: string;
  created_at: Date;
}

/** Every page by the keyset, as movements() walks them (without its read-ahead), through `query`; the rows counted. */
async function pages(query: (after: { createdAt: Date; entryId: string }) => Promise<PageRow[]>): Promise<number> {
  let rows = 0;
  let after = { createdAt: from, entryId: '' };
  for (;;) {
    const page = await query(after);
    rows += page.length;
    const last = page.at(-1);
    if (page.length < PAGE || !last) return rows;
    after = { createdAt: last.created_at, entryId: last.entry_id };
  }
}

/** ledger.ts movements() with its pages read on the mariadb driver: the same keyset, read-ahead and rows. */
async function* driverMovements(query: (after: { createdAt: Date; entryId: string }) => Promise<PageRow[]>): AsyncGenerator<StatementRow, void, undefined> {
  let balance = 0n;
  let next: Promise<PageRow[]> | null = query({ createdAt: from, entryId: '' });
  while (next) {
    const page: PageRow[] = await next;
    const last = page.at(-1);
    next = page.length === PAGE && last ? query({ createdAt: last.created_at, entryId: last.entry_id }) : null;
    next?.catch(() => undefined);
    for (const movement of page) {
      const row = statementRow(movement as Parameters<typeof statementRow>[0], 'HKD', balance);
      balance = row.balanceAfter;
      yield row;
    }
  }
}

async function run(store: PaymentStore): Promise<number> {
  const options = { accountId, from, to, currency: 'HKD', opening: 0n };
  switch (step) {
    case 'driver': {
      const adapter = await mariadbAdapter(databaseUrl!, { connectionLimit: 1 }).connect();
      const pool = adapter.underlyingDriver();
      try {
        return await pages((after) => pool.query(pageSql(after).sql, pageSql(after).values));
      } finally {
        await adapter.dispose();
      }
    }
    case 'prisma': {
      return pages((after) => store.$queryRaw<PageRow[]>(pageSql(after)));
    }
    case 'rows': {
      let rows = 0;
      for await (const row of movements(store, options)) rows += row ? 1 : 0;
      return rows;
    }
    case 'csv': {
      let bytes = 0;
      for await (const chunk of statementCsv(movements(store, options))) bytes += chunk.length;
      return bytes;
    }
    case 'driver-upload': {
      const adapter = await mariadbAdapter(databaseUrl!, { connectionLimit: 2 }).connect();
      const pool = adapter.underlyingDriver();
      try {
        const files = new BlobStore(connectionString!, 'bench-statements');
        await files.ensureContainer();
        const query = (after: { createdAt: Date; entryId: string }) =>
          pool.query<PageRow[]>(pageSql(after).sql, pageSql(after).values);
        return await files.upload(`steps/${Date.now()}.csv`, statementCsv(driverMovements(query)), { contentType: 'text/csv; charset=utf-8' });
      } finally {
        await adapter.dispose();
      }
    }
    default: {
      const files = new BlobStore(connectionString!, 'bench-statements');
      await files.ensureContainer();
      return files.upload(`steps/${Date.now()}.csv`, statementCsv(movements(store, options)), { contentType: 'text/csv; charset=utf-8' });
    }
  }
}

async function main() {
  const store = createPaymentStore(databaseUrl!, { connectionLimit: 3 });
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(peak) as Array<keyof typeof peak>) peak[key] = Math.max(peak[key], usage[key]);
  };
  // The store warmed (its engine loaded, a connection open) before the clock starts, as in a worker that has been up.
  await store.$queryRaw`SELECT 1`;
  const idle = procMemory(process.pid)!;
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const result = await run(store);
    const ms = performance.now() - started;
    sample();
    const memory = procMemory(process.pid)!;
    const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
    console.log(
      JSON.stringify({
        step,
        result,
        ms: Math.round(ms),
        idleRssMiB: Math.round(idle.rssKb / 1024),
        peakRssMiB: Math.round(memory.peakKb / 1024),
        rssMiB: Math.round(memory.rssKb / 1024),
        heapUsedMiB: mib(peak.heapUsed),
        heapTotalMiB: mib(peak.heapTotal),
        externalMiB: mib(peak.external),
        arrayBuffersMiB: mib(peak.arrayBuffers),
      }),
    );
  } finally {
    clearInterval(timer);
    await store.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
