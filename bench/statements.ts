/**
 * `npm run bench:statements`: a statement of 1,000,000 movements streams from
 * the database to the blob, no whole file in memory (money-out.md: worker
 * RSS < 256 MB, done in minutes).
 *
 * Makes a payment database of its own (migrated) and an Azurite of its own,
 * seeds one business with N movements inside a ~300-day window and a few
 * before it (support/statement-seed.ts: payments, ~5 % refunds, their entries
 * and balanced lines, balance rows equal to the journal), asks for a CSV
 * statement of the window (a PENDING `statements` row) and runs the real
 * worker process (`node --import tsx …/statements/worker/main.ts`) on it,
 * sampling its resident set from /proc every 100 ms (and VmHWM, the peak,
 * at the end). Then it reads the blob back as a stream (a signed read URL,
 * as a client would) and checks the row count, the line count (rows + the
 * header) and that the last row's balance_after is the closing balance.
 * Removes the database and Azurite at the end, also on failure.
 *
 * --movements N (or STATEMENT_BENCH_MOVEMENTS; default 1,000,000);
 * --pdf also runs a PDF statement of --pdf-movements (default 100,000) of
 * them; --steps then times each step of a CSV statement alone, a process
 * each (the page query on the driver, through Prisma, the rows, the CSV, the
 * upload: support/statement-steps.ts); --worker bundle|tsx|bundle-maps says
 * how the worker runs (below); --cpu-prof DIR writes the worker's CPU
 * profile there; --keep leaves the database (printed) for EXPLAIN and the
 * like; STATEMENT_BENCH_NODE_ARGS (e.g. `--max-old-space-size=128`) go to
 * the worker's node (and the --steps processes').
 * Exits non-zero when a statement FAILED, a check failed, or the worker's
 * peak RSS reached 256 MB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { BlobStore } from '@harbour/blob';
import { REPO_ROOT } from '@harbour/config';
import { migrate } from '@harbour/prisma';
import { createPaymentStore, type PaymentStore, type Statement, type StatementFormat } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';
import { dropDatabases, startAzurite, testDatabaseUrls, uniqueRunId, type TestAzurite } from '@harbour/testing';
import { STATEMENT_CSV_COLUMNS } from '../subgraphs/payment/src/statements/render/csv';
import { STATEMENT_WORKER_ENV, STATEMENT_WORKER_NODE_FLAGS } from '../subgraphs/payment/src/statements/worker/runtime';
import { findProcess, procCpuSeconds, procMemory, RssSampler } from './support/proc-stats';
import { seedStatementLedger, type Seeded } from './support/statement-seed';

/** The contract's limit on the worker's resident set (MiB, as the Deployment's 256Mi request). */
const RSS_LIMIT_MB = 256;
const BUSINESS = 'biz_benchstatements';
const CONTAINER = 'bench-statements';
const WORKER_MAIN = path.join(REPO_ROOT, 'subgraphs/payment/src/statements/worker/main.ts');
const DAYS = 300;
/** How long a statement may take before the bench gives up on it. */
const TIMEOUT_MS = Number(process.env.STATEMENT_BENCH_TIMEOUT_SECONDS ?? 1_800) * 1000;

const { values: args } = parseArgs({
  options: {
    movements: { type: 'string' },
    pdf: { type: 'boolean', default: false },
    'pdf-movements': { type: 'string' },
    'cpu-prof': { type: 'string' },
    keep: { type: 'boolean', default: false },
    worker: { type: 'string', default: 'bundle' },
    steps: { type: 'boolean', default: false },
  },
});
/**
 * How the worker runs: `bundle` (the default) as its container does (the k8s
 * statements Deployment: the bundle of `npm run build:service -- payment`,
 * built into a temporary folder, with worker/runtime.ts's flags and
 * environment); `tsx` as `npm start` runs it (TypeScript compiled as it
 * loads, the same flags); `bundle-maps` the bundle with --enable-source-maps
 * and no flags, as the other services run (what the flags are measured
 * against).
 */
const WORKER_KINDS = ['bundle', 'tsx', 'bundle-maps'] as const;
type WorkerKind = (typeof WORKER_KINDS)[number];
if (!(WORKER_KINDS as readonly string[]).includes(args.worker!)) throw new Error(`--worker: one of ${WORKER_KINDS.join(', ')}`);
const WORKER = args.worker as WorkerKind;
const WORKER_COMMANDS: Record<WorkerKind, string> = {
  bundle: `MALLOC_ARENA_MAX=2 node ${STATEMENT_WORKER_NODE_FLAGS.join(' ')} statements.js (the bundle, as its container runs it)`,
  tsx: `MALLOC_ARENA_MAX=2 node ${STATEMENT_WORKER_NODE_FLAGS.join(' ')} --import tsx subgraphs/payment/src/statements/worker/main.ts (as npm start runs it)`,
  'bundle-maps': 'node --enable-source-maps statements.js (the bundle without the worker\'s flags)',
};
const wholeNumber = (value: string | undefined, fallback: number, name: string) => {
  const n = Number((value ?? String(fallback)).replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: a whole number above 0, not ${value}`);
  return n;
};
const MOVEMENTS = wholeNumber(args.movements ?? process.env.STATEMENT_BENCH_MOVEMENTS, 1_000_000, '--movements');
const PDF_MOVEMENTS = Math.min(MOVEMENTS, wholeNumber(args['pdf-movements'], 100_000, '--pdf-movements'));
/** Movements before `from`: the opening balance is theirs. */
const BEFORE = Math.min(1_000, Math.max(10, Math.round(MOVEMENTS / 1_000)));

const n = (value: number) => Math.round(value).toLocaleString('en');
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Stops the bench (and what it started) on Ctrl-C. */
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupted.abort(new Error(`interrupted (${signal})`)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const checkInterrupted = () => interrupted.signal.throwIfAborted();

class BenchFailure extends Error {}

/** STATEMENT_BENCH_NODE_ARGS: node's own flags for the worker (and the --steps processes), e.g. `--max-old-space-size=128`. */
const workerNodeArgs = () => (process.env.STATEMENT_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

interface Run {
  statement: Statement;
  /** From the PENDING row to READY seen (ms), and the worker's own figure (its claim to READY). */
  wallMs: number;
  workerMs: number | undefined;
  peakKb: number;
  steadyKb: number;
  idleKb: number;
  workerCpuSeconds: number;
  databaseCpuSeconds: number | undefined;
}

/**
 * Runs the real worker on one PENDING statement: starts it, waits until it
 * listens, asks for the statement, and waits for READY (FAILED: a
 * BenchFailure) while sampling its memory; then reads its peak and stops it.
 */
async function runWorker(
  store: PaymentStore,
  azurite: TestAzurite,
  databaseUrl: string,
  format: StatementFormat,
  window: { from: Date; to: Date },
  bundle: string | undefined,
): Promise<Run> {
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'])}`] : [];
  const extra = workerNodeArgs();
  const command =
    WORKER === 'bundle-maps'
      ? ['--enable-source-maps', ...profile, ...extra, 'statements.js']
      : [...STATEMENT_WORKER_NODE_FLAGS, ...profile, ...extra, ...(WORKER === 'tsx' ? ['--import', 'tsx', WORKER_MAIN] : ['statements.js'])];
  const child = spawn(process.execPath, command, {
    cwd: bundle ?? REPO_ROOT,
    env: {
      ...(WORKER === 'bundle-maps' ? {} : STATEMENT_WORKER_ENV),
      ...process.env,
      HARBOUR_MODE: 'sandbox',
      PAYMENT_DATABASE_URL: databaseUrl,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      MONEY_OUT_BLOB_CONTAINER: CONTAINER,
      STATEMENT_SETTLE_MS: '0',
      STATEMENT_WORKER_POLL_MS: '200',
      STATEMENTS_WORKER_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  const exited = once(child, 'exit');
  const log: string[] = [];
  let started = false;
  let workerMs: number | undefined;
  let pending = '';
  const onOutput = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      log.push(line);
      if (log.length > 40) log.shift();
      try {
        const entry = JSON.parse(line) as { msg?: string; ms?: number; level?: number };
        if (entry.msg === 'statements worker started') started = true;
        if (entry.msg === 'statement ready') workerMs = entry.ms;
        if ((entry.level ?? 0) >= 40) console.error(`  worker: ${line}`);
      } catch {
        console.error(`  worker: ${line}`);
      }
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const failWith = (message: string) => new BenchFailure(`${message}\n  the worker's last lines:\n${log.map((line) => `    ${line}`).join('\n')}`);

  const sampler = new RssSampler(pid, 100);
  const database = findProcess(['mariadbd', 'mysqld']);
  try {
    const deadline = Date.now() + 60_000;
    while (!started) {
      checkInterrupted();
      if (!alive()) throw failWith(`the worker exited (${child.exitCode ?? child.signalCode}) before it started`);
      if (Date.now() > deadline) throw failWith('the worker did not start within 60 s');
      await sleep(50);
    }
    const idleKb = procMemory(pid)?.rssKb ?? NaN;
    const cpuBefore = procCpuSeconds(pid) ?? 0;
    const databaseCpuBefore = database === undefined ? undefined : procCpuSeconds(database);
    const now = new Date();
    const id = newId('statement');
    await store.statement.create({
      data: { id, businessId: BUSINESS, requestedByUserId: 'usr_benchowner', businessName: '九龍茶餐廳 Bench', format, from: window.from, to: window.to, currency: 'HKD', createdAt: now, updatedAt: now },
    });
    const asked = Date.now();
    let claimedAt: number | undefined;
    let statement: Statement;
    for (;;) {
      checkInterrupted();
      statement = await store.statement.findUniqueOrThrow({ where: { id } });
      if (claimedAt === undefined && statement.leaseOwner !== null) claimedAt = Date.now();
      if (statement.status === 'READY') break;
      if (statement.status === 'FAILED') throw failWith(`the ${format} statement FAILED: ${statement.failureCode}`);
      if (!alive()) throw failWith(`the worker exited (${child.exitCode ?? child.signalCode}) while the statement was ${statement.status}`);
      if (Date.now() - asked > TIMEOUT_MS) throw failWith(`the ${format} statement was not READY within ${TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
    const readyAt = Date.now();
    // Read before it is stopped: the peak is the kernel's (VmHWM), not only what 100 ms samples caught.
    const memory = procMemory(pid);
    const cpuAfter = procCpuSeconds(pid) ?? cpuBefore;
    const databaseCpuAfter = database === undefined ? undefined : procCpuSeconds(database);
    return {
      statement,
      wallMs: readyAt - asked,
      workerMs,
      peakKb: Math.max(memory?.peakKb ?? 0, sampler.maxKb()),
      steadyKb: sampler.medianKb(claimedAt ?? asked, readyAt),
      idleKb,
      workerCpuSeconds: cpuAfter - cpuBefore,
      databaseCpuSeconds: databaseCpuBefore === undefined || databaseCpuAfter === undefined ? undefined : databaseCpuAfter - databaseCpuBefore,
    };
  } finally {
    sampler.stop();
    if (alive()) {
      child.kill('SIGTERM');
      // It finishes the statement in hand, if any, then exits; a CPU profile is written then.
      const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped && alive()) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }
}

/** Streams a blob through a signed read URL (as a client downloads it), a chunk at a time; resolves with its size. */
async function readBlob(files: BlobStore, name: string, onChunk: (chunk: Buffer) => void): Promise<number> {
  const response = await fetch(files.readUrl(name, 3_600).url);
  if (!response.ok || !response.body) throw new BenchFailure(`downloading ${name}: HTTP ${response.status}`);
  let bytes = 0;
  for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
    checkInterrupted();
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    onChunk(buffer);
  }
  return bytes;
}

/** "-1,234.50" → -123450n (the CSV's amounts: two decimals, a sign). */
function minorUnits(decimal: string): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(decimal);
  if (!match) throw new BenchFailure(`not an amount: ${decimal}`);
  const value = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] ? -value : value;
}

/** The CSV, streamed: CRLF-terminated lines (rows + the header), no bare LF, the header, the last row's balance_after. */
async function verifyCsv(files: BlobStore, statement: Statement, expected: { rows: number; closing: bigint }): Promise<string[]> {
  const problems: string[] = [];
  let lines = 0;
  let bareLf = 0;
  let previous = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const bytes = await readBlob(files, statement.blobName!, (chunk) => {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
      if ((at > 0 ? chunk[at - 1] : previous) === 0x0d) lines += 1;
      else bareLf += 1;
    }
    previous = chunk[chunk.length - 1]!;
    if (head.length < 4_096) head = Buffer.concat([head, chunk.subarray(0, 4_096)]);
    tail = Buffer.concat([tail, chunk]).subarray(-8_192);
  });
  const header = head.toString('utf8').split('\r\n')[0];
  if (header !== STATEMENT_CSV_COLUMNS.join(',')) problems.push(`header is ${JSON.stringify(header)}`);
  if (lines !== expected.rows + 1) problems.push(`${n(lines)} CRLF lines, expected ${n(expected.rows + 1)} (rows + header)`);
  if (bareLf) problems.push(`${n(bareLf)} bare LF`);
  if (Number(statement.byteCount) !== bytes) problems.push(`byte_count ${statement.byteCount} but the blob has ${bytes} bytes`);
  const tailLines = tail.toString('utf8').split('\r\n');
  if (tailLines.at(-1) !== '') problems.push('the file does not end with CRLF');
  const last = tailLines.at(-2) ?? '';
  // The columns after the description are amounts and the currency: never quoted, so a split from the right is safe.
  const fields = last.split(',');
  const balanceAfter = fields.at(-2) ?? '';
  if (expected.rows > 0) {
    try {
      if (minorUnits(balanceAfter) !== expected.closing) problems.push(`the last row's balance_after is ${balanceAfter}, the closing balance ${expected.closing}`);
    } catch (error) {
      problems.push(`the last row (${JSON.stringify(last)}): ${(error as Error).message}`);
    }
  }
  console.log(`  csv: ${n(bytes)} bytes, ${n(lines)} lines; last row: ${last.slice(0, 160)}`);
  return problems;
}

/** The PDF, streamed: its header, its trailer, and its pages (`/Type /Page` objects) counted. */
async function verifyPdf(files: BlobStore, statement: Statement): Promise<{ problems: string[]; pages: number; bytes: number }> {
  const problems: string[] = [];
  let head = '';
  let carry = '';
  let pages = 0;
  const bytes = await readBlob(files, statement.blobName!, (chunk) => {
    const textChunk = chunk.toString('latin1');
    if (head.length < 8) head += textChunk.slice(0, 8);
    const scanned = carry + textChunk;
    for (const match of scanned.matchAll(/\/Type \/Page[^s]/g)) if (match.index + match[0].length > carry.length) pages += 1;
    carry = scanned.slice(-32);
  });
  if (!head.startsWith('%PDF-')) problems.push(`does not start with %PDF- (${JSON.stringify(head)})`);
  if (!carry.includes('%%EOF')) problems.push('no %%EOF at its end');
  if (Number(statement.byteCount) !== bytes) problems.push(`byte_count ${statement.byteCount} but the blob has ${bytes} bytes`);
  return { problems, pages, bytes };
}

/** What the journal itself says of the window (independent of the seed's own sums and of the worker). */
async function journalWindow(store: PaymentStore, accountId: string, from: Date, to: Date): Promise<{ rows: number; opening: bigint; closing: bigint }> {
  const [row] = await store.$queryRaw<Array<{ entries: unknown; before_from: unknown; before_to: unknown }>>`
    SELECT COUNT(DISTINCT CASE WHEN created_at >= ${from} AND created_at < ${to} THEN entry_id END) AS entries,
           SUM(CASE WHEN created_at < ${from} THEN amount ELSE 0 END) AS before_from,
           SUM(CASE WHEN created_at < ${to} THEN amount ELSE 0 END) AS before_to
    FROM journal_lines WHERE account_id = ${accountId}`;
  return { rows: Number(row!.entries), opening: BigInt(String(row!.before_from ?? 0)), closing: BigInt(String(row!.before_to ?? 0)) };
}

/**
 * Each step of the CSV statement alone, a process each (support/statement-steps.ts), on the same window: a table of
 * time and memory per step, each including the ones before it.
 */
async function profileSteps(databaseUrl: string, azurite: TestAzurite, accountId: string, window: { from: Date; to: Date }): Promise<string> {
  const rows = ['| step (each adds to the one above, but the last) | s | peak RSS MiB (idle) | V8 heap used, peak MiB |', '| --- | ---: | ---: | ---: |'];
  const names: Record<string, string> = {
    driver: 'page query, mariadb driver only',
    prisma: 'page query through Prisma $queryRaw',
    rows: 'movements(): StatementRows',
    csv: 'statementCsv(): CSV chunks',
    upload: 'BlobStore.upload to Azurite (the worker\'s pipeline)',
    'driver-upload': 'the same, page query on the driver instead of Prisma',
  };
  for (const step of Object.keys(names)) {
    checkInterrupted();
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', ...workerNodeArgs(), path.join(REPO_ROOT, 'bench/support/statement-steps.ts'), step, databaseUrl, accountId, window.from.toISOString(), window.to.toISOString(), azurite.connectionString],
      { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as { ms: number; peakRssMiB: number; idleRssMiB: number; heapUsedMiB: number };
    console.log(`  step ${step}: ${output.trim()}`);
    rows.push(`| ${names[step]} | ${seconds(result.ms)} | ${result.peakRssMiB} (${result.idleRssMiB}) | ${result.heapUsedMiB} |`);
  }
  return rows.join('\n');
}

async function databaseFacts(store: PaymentStore): Promise<string> {
  const [row] = await store.$queryRaw<Array<{ version: string; pool: unknown }>>`SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool`;
  return `MariaDB ${row!.version.split('-')[0]} on loopback (innodb_buffer_pool_size ${Math.round(Number(row!.pool) / 2 ** 20)} MiB)`;
}

function statementChecks(run: Run, expected: { rows: number; opening: bigint; closing: bigint }): string[] {
  const problems: string[] = [];
  const { statement } = run;
  if (statement.rowCount !== expected.rows) problems.push(`row_count ${statement.rowCount}, expected ${expected.rows}`);
  if (statement.openingBalance !== expected.opening) problems.push(`opening_balance ${statement.openingBalance}, the journal's ${expected.opening}`);
  if (statement.closingBalance !== expected.closing) problems.push(`closing_balance ${statement.closingBalance}, the journal's ${expected.closing}`);
  if (run.peakKb / 1024 >= RSS_LIMIT_MB) problems.push(`the worker's peak RSS was ${(run.peakKb / 1024).toFixed(0)} MiB (the limit: ${RSS_LIMIT_MB} MiB)`);
  return problems;
}

const memoryFigures = (run: Run) =>
  `worker peak RSS ${(run.peakKb / 1024).toFixed(0)} MiB (VmHWM), steady ~${(run.steadyKb / 1024).toFixed(0)} MiB (idle ${(run.idleKb / 1024).toFixed(0)} MiB)`;
const cpuFigures = (run: Run) =>
  `CPU: worker ${run.workerCpuSeconds.toFixed(1)} s${run.databaseCpuSeconds === undefined ? '' : `, MariaDB ${run.databaseCpuSeconds.toFixed(1)} s`} over ${seconds(run.wallMs)} s`;

async function main(): Promise<number> {
  const url = testDatabaseUrls(uniqueRunId()).payment;
  let azurite: TestAzurite | undefined;
  let store: PaymentStore | undefined;
  let bundle: string | undefined;
  const problems: string[] = [];
  try {
    const setup = performance.now();
    if (WORKER !== 'tsx') {
      bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'hbt-statements-bundle-'));
      execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/build-service.ts'), 'payment', '--out', bundle], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    [, azurite] = await Promise.all([migrate('payment', url, { logger: { info: () => undefined, warn: () => undefined } }), startAzurite()]);
    store = createPaymentStore(url, { connectionLimit: 6 });
    const files = new BlobStore(azurite.connectionString, CONTAINER);
    console.log(`database ${new URL(url).pathname.slice(1)} and Azurite on port ${azurite.port} ready in ${seconds(performance.now() - setup)} s`);
    const machine = `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${await databaseFacts(store)}`;

    const seedStarted = performance.now();
    let reported = 0;
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000);
    const seeded: Seeded = await seedStatementLedger(store, {
      businessId: BUSINESS,
      movements: MOVEMENTS,
      before: BEFORE,
      to: end,
      days: DAYS,
      signal: interrupted.signal,
      onProgress: (done, total) => {
        if (done === total || done - reported >= total / 10) {
          reported = done;
          console.log(`  seeding: ${n(done)} / ${n(total)} movements, ${seconds(performance.now() - seedStarted)} s`);
        }
      },
    });
    const seedMs = performance.now() - seedStarted;
    console.log(
      `seeded ${n(seeded.movements)} movements in the window (${n(seeded.payments)} payments, ${n(seeded.refunds)} refunds) + ${n(seeded.before)} before it, ` +
        `${n(seeded.journalLines)} journal lines, in ${seconds(seedMs)} s (${n((seeded.movements + seeded.before) / (seedMs / 1000))} movements/s)`,
    );

    const csvWindow = { from: seeded.from, to: seeded.to };
    const csvExpected = await journalWindow(store, seeded.businessAccountId, csvWindow.from, csvWindow.to);
    if (csvExpected.rows !== seeded.movements || csvExpected.opening !== seeded.opening || csvExpected.closing !== seeded.closing) {
      throw new BenchFailure(`the seed is off: the journal has ${JSON.stringify(csvExpected, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
    }
    console.log(`CSV statement of ${csvWindow.from.toISOString()} → ${csvWindow.to.toISOString()} (opening ${csvExpected.opening}, closing ${csvExpected.closing}, cents)`);
    const csv = await runWorker(store, azurite, url, 'CSV', csvWindow, bundle);
    const csvProblems = [...statementChecks(csv, csvExpected), ...(await verifyCsv(files, csv.statement, csvExpected))];
    const rowsPerSecond = csvExpected.rows / ((csv.workerMs ?? csv.wallMs) / 1000);
    const csvLine =
      `statements: ${n(csvExpected.rows)} movements → CSV ${mb(Number(csv.statement.byteCount))} MB in ${seconds(csv.workerMs ?? csv.wallMs)} s ` +
      `(${n(rowsPerSecond)} rows/s; ${seconds(csv.wallMs)} s from the request); ${memoryFigures(csv)}; seed ${seconds(seedMs)} s`;
    console.log(`  ${cpuFigures(csv)}`);
    problems.push(...csvProblems.map((problem) => `CSV: ${problem}`));

    let pdfLine: string | undefined;
    if (args.pdf) {
      // A window of PDF_MOVEMENTS movements from the middle of the seeded ones (its opening balance is theirs before it).
      const first = seeded.before + Math.floor((seeded.movements - PDF_MOVEMENTS) / 2);
      const pdfWindow = { from: seeded.instantOf(first), to: first + PDF_MOVEMENTS < seeded.before + seeded.movements ? seeded.instantOf(first + PDF_MOVEMENTS) : seeded.to };
      const pdfExpected = await journalWindow(store, seeded.businessAccountId, pdfWindow.from, pdfWindow.to);
      console.log(`PDF statement of ${pdfWindow.from.toISOString()} → ${pdfWindow.to.toISOString()} (${n(pdfExpected.rows)} movements)`);
      const pdf = await runWorker(store, azurite, url, 'PDF', pdfWindow, bundle);
      const verified = await verifyPdf(files, pdf.statement);
      problems.push(...[...statementChecks(pdf, pdfExpected), ...verified.problems].map((problem) => `PDF: ${problem}`));
      pdfLine =
        `statements: ${n(pdfExpected.rows)} movements → PDF ${mb(verified.bytes)} MB, ${n(verified.pages)} pages, in ${seconds(pdf.workerMs ?? pdf.wallMs)} s ` +
        `(${n(pdfExpected.rows / ((pdf.workerMs ?? pdf.wallMs) / 1000))} rows/s); ${memoryFigures(pdf)}`;
      console.log(`  ${cpuFigures(pdf)}`);
    }

    const steps = args.steps ? await profileSteps(url, azurite, seeded.businessAccountId, csvWindow) : undefined;

    console.log(`\n${machine}`);
    console.log(`worker: ${WORKER_COMMANDS[WORKER]}`);
    console.log(csvLine);
    console.log(`  ${cpuFigures(csv)}`);
    if (pdfLine) console.log(pdfLine);
    if (steps) console.log(steps);
    if (problems.length) {
      console.error(`\nFAILED:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
      return 1;
    }
    console.log(`\nOK: every statement READY and verified; the worker's peak RSS stayed under ${RSS_LIMIT_MB} MiB.`);
    return 0;
  } finally {
    await store?.$disconnect().catch(() => undefined);
    await azurite?.stop().catch((error: unknown) => console.error('stopping Azurite:', error));
    if (bundle) fs.rmSync(bundle, { recursive: true, force: true });
    if (args.keep) console.log(`kept the database: ${url}`);
    else await dropDatabases([url]).catch((error: unknown) => console.error('dropping the database:', error));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BenchFailure ? `\nFAILED: ${error.message}` : error);
    process.exit(1);
  },
);
