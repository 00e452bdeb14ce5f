/**
 * Seeds one business's ledger for `npm run bench:statements`, straight in
 * SQL, a batch of movements at a time (multi-row INSERTs of at most
 * ROWS_PER_STATEMENT rows, a few statements in flight): the rows the money
 * paths write, as settle-payment and refunds write them.
 *
 * - Accounts: the BUSINESS account (16 balance shards), the FEE and
 *   EXTERNAL_FUNDING system accounts (opened through AccountDirectory, as
 *   the services open them) and PAYERS payer wallets (one shard each).
 * - Each movement, in time order, one every ~`days` / count apart (every
 *   50th at the same instant as the one before it: pages must not split or
 *   repeat entries that share an instant): a PAYMENT (a `payments` row, its
 *   entry, and the lines wallet −amount, business +net, FEE +fee) or, one in
 *   ~20, a REFUND of the payment REFUND_LAG movements earlier (a `refunds`
 *   row, its entry, and the lines business −(amount − fee), FEE −fee,
 *   wallet +amount; its payment's refunded amount, fee and status set).
 * - Every wallet is topped up (TOP_UP, from EXTERNAL_FUNDING) before its
 *   first payment with what it spends and a little more.
 * - The balance rows: per account and shard, the sum of its lines (the
 *   worker checks the journal against them and fails NOT_RECONCILED if not).
 *
 * Everything is a function of the movement's index (no randomness): a run
 * seeds the same ledger every time, ids aside from their time part.
 */
import type { PaymentStore } from '@harbour/prisma/payment';
import { AccountDirectory } from '../../subgraphs/payment/src/domain/ledger/accounts';

const DAY_MS = 86_400_000;
export const ROWS_PER_STATEMENT = 5_000;
const PAYERS = 2_000;
const BUSINESS_SHARDS = 16;
const SYSTEM_SHARDS = 16;
/** A refund refunds the payment this many movements before it. */
const REFUND_LAG = 37;
const FEE_BPS = 120;
const CURRENCY = 'HKD';

export interface SeedOptions {
  businessId: string;
  /** Movements inside the window [from, to). */
  movements: number;
  /** Movements before `from` (the opening balance). */
  before: number;
  /** The window's end (exclusive); the movements spread over `days` before it. */
  to: Date;
  days: number;
  /** Statements in flight at once. */
  concurrency?: number;
  /** Stops seeding (with its reason) between batches. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface Seeded {
  businessAccountId: string;
  from: Date;
  to: Date;
  /** Movements in [from, to), by kind. */
  movements: number;
  payments: number;
  refunds: number;
  before: number;
  /** The business's balance at `from` and at `to`, as the seed computed them. */
  opening: bigint;
  closing: bigint;
  journalLines: number;
  /** The instant of movement `index` (0 is the oldest, `before` the first inside the window). */
  instantOf(index: number): Date;
}

/** A 32-bit mix of `n` and `salt` (murmur3's finaliser): the seed's only source of variety. */
function mix(n: number, salt: number): number {
  let h = (n ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(value: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text = CROCKFORD[value % 32] + text;
    value = Math.floor(value / 32);
  }
  return text;
}

/** A ULID-shaped id (26 characters): the instant's 10, then the index's 7 and 9 of its mix, unique per prefix and index. */
const idAt = (prefix: string, instant: number, index: number) =>
  `${prefix}_${base32(instant, 10)}${base32(index, 7)}${base32(mix(index, prefix.charCodeAt(0)) % 32 ** 6, 6)}${base32(mix(index, 7) % 32 ** 3, 3)}`;

const FAMILY = ['Chan', 'Wong', 'Lee', 'Cheung', 'Lau', 'Ho', 'Ng', 'Leung', 'Tang', 'Yip', "O'Brien", 'Smith'];
const GIVEN = ['Tai Man', 'Siu Ming', 'Ka Yan', 'Wing Hong', 'Mei Ling', 'Chi Keung', 'Emily', 'Kevin', 'Priya', 'Ah Keung "AK"'];
const CHINESE = ['陳大文', '黃小明', '李嘉欣', '張偉強', '劉德華', '何家駒', '吳美玲', '梁志強', '鄧麗君', '葉問', '嘅茶餐廳老闆', '林㗎'];
const REASONS = [null, null, 'Customer changed their mind', '退款：貨品損壞', 'Wrong amount, charged twice', 'Order cancelled, "no stock"'];

/** The payer's name as a receipt shows it: English, Chinese, both, some with commas or quotes (CSV must quote them). */
function payerName(payer: number): string {
  const h = mix(payer, 11);
  const family = FAMILY[h % FAMILY.length]!;
  const given = GIVEN[(h >>> 8) % GIVEN.length]!;
  const chinese = CHINESE[(h >>> 16) % CHINESE.length]!;
  switch (h % 5) {
    case 0:
      return chinese;
    case 1:
      return `${family} ${given}`;
    case 2:
      return `${chinese} (${given} ${family})`;
    case 3:
      return `${family}, ${given}`;
    default:
      return `${given} ${family} ${chinese}`;
  }
}

/** A reference as shops type them; three in ten have none, a few start with a character a spreadsheet would run as a formula. */
function reference(index: number): string | null {
  const h = mix(index, 13);
  if (h % 10 < 3) return null;
  if (h % 97 === 0) return `=SUM(A${index % 1000})`;
  if (h % 89 === 0) return `-${index % 100_000} adj`;
  return h % 3 === 0 ? `INV-2026-${String(index).padStart(7, '0')}` : `訂單 ${index % 1_000_000}`;
}

const paymentAmount = (index: number) => 100 + (mix(index, 3) % 200_000);
const paymentFee = (amount: number) => Math.floor((amount * FEE_BPS + 5_000) / 10_000);
const isRefundCandidate = (index: number) => mix(index, 5) % 20 === 0;
/** A refund of the payment REFUND_LAG before it; that one is never itself a refund. */
const isRefund = (index: number) => index >= REFUND_LAG && isRefundCandidate(index) && !isRefundCandidate(index - REFUND_LAG);

function refundOf(index: number): { amount: number; fee: number } {
  const paymentIndex = index - REFUND_LAG;
  const paid = paymentAmount(paymentIndex);
  const fee = paymentFee(paid);
  const h = mix(index, 17);
  const amount = h % 2 === 0 ? paid : Math.max(1, Math.floor((paid * (10 + (h >>> 4) % 80)) / 100));
  return { amount, fee: amount === paid ? fee : Math.floor((fee * amount) / paid) };
}

/** `'…'` for SQL, quotes and backslashes escaped (MariaDB's default sql_mode reads backslash escapes). */
const text = (value: string | null) => (value === null ? 'NULL' : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const datetime = (instant: number) => `'${new Date(instant).toISOString().replace('T', ' ').replace('Z', '')}'`;

/** Runs the statements `concurrency` at a time, in order of submission, each as it comes. */
class Pipeline {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  constructor(private readonly concurrency: number) {}

  async submit(run: () => Promise<unknown>): Promise<void> {
    while (this.running.size >= this.concurrency) await Promise.race(this.running);
    if (this.failure) throw this.failure;
    const task: Promise<void> = run().then(
      () => void this.running.delete(task),
      (error: unknown) => {
        this.failure ??= error;
        this.running.delete(task);
      },
    );
    this.running.add(task);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
  }
}

/** Multi-row INSERTs of `rows`, ROWS_PER_STATEMENT at a time. */
function inserts(head: string, rows: string[]): string[] {
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) statements.push(`${head} VALUES ${rows.slice(start, start + ROWS_PER_STATEMENT).join(',\n')}`);
  return statements;
}

export async function seedStatementLedger(store: PaymentStore, options: SeedOptions): Promise<Seeded> {
  const total = options.before + options.movements;
  const to = options.to.getTime();
  const start = to - options.days * DAY_MS;
  const spacing = (options.days * DAY_MS) / total;
  /** Every 50th movement shares the instant of the one before (never the first inside the window: it is at `from`). */
  const instantOf = (index: number) => start + Math.floor((index % 50 === 49 && index !== options.before ? index - 1 : index) * spacing);
  const from = instantOf(options.before);
  const payerOf = (index: number) => mix(index, 19) % PAYERS;

  const directory = new AccountDirectory(store, { business: BUSINESS_SHARDS, system: SYSTEM_SHARDS });
  const [business, fees, funding] = [await directory.business(options.businessId, CURRENCY), await directory.fees(CURRENCY), await directory.externalFunding(CURRENCY)];
  const walletIds = Array.from({ length: PAYERS }, (_, payer) => idAt('acc', start, 10_000_000 + payer));
  const payerIds = Array.from({ length: PAYERS }, (_, payer) => idAt('usr', start, 20_000_000 + payer));
  const created = datetime(start - 2 * DAY_MS);
  for (const statement of inserts(
    'INSERT INTO accounts (id, type, owner_id, currency, shard_count, created_at, updated_at)',
    walletIds.map((id, payer) => `(${text(id)}, 'WALLET', ${text(payerIds[payer]!)}, '${CURRENCY}', 1, ${created}, ${created})`),
  )) {
    await store.$executeRawUnsafe(statement);
  }

  // Per account and shard: what its lines sum to (numbers: far below 2^53 here, checked at the end).
  const balances = new Map<string, number>();
  const move = (accountId: string, shard: number, amount: number) => {
    const key = `${accountId}\u0000${shard}`;
    balances.set(key, (balances.get(key) ?? 0) + amount);
  };
  const spent = new Array<number>(PAYERS).fill(0);
  let opening = 0;
  let closing = 0;
  let payments = 0;
  let refunds = 0;
  let journalLines = 0;

  const pipeline = new Pipeline(options.concurrency ?? 3);
  const batch = ROWS_PER_STATEMENT;
  let parentsWritten: Promise<void> = Promise.resolve();
  for (let first = 0; first < total; first += batch) {
    options.signal?.throwIfAborted();
    const last = Math.min(total, first + batch);
    const entryRows: string[] = [];
    const paymentRows: string[] = [];
    const refundRows: string[] = [];
    const lineRows: string[] = [];
    const line = (entryId: string, accountId: string, shard: number, amount: number, at: string) => {
      lineRows.push(`(${text(entryId)}, ${text(accountId)}, ${shard}, ${amount}, '${CURRENCY}', ${at})`);
      move(accountId, shard, amount);
    };
    for (let index = first; index < last; index++) {
      const instant = instantOf(index);
      const at = datetime(instant);
      const entryId = idAt('jre', instant, index);
      const payer = payerOf(isRefund(index) ? index - REFUND_LAG : index);
      const shard = index % BUSINESS_SHARDS;
      let net: number;
      if (isRefund(index)) {
        const paymentIndex = index - REFUND_LAG;
        const refund = refundOf(index);
        const refundId = idAt('rfd', instant, index);
        net = -(refund.amount - refund.fee);
        entryRows.push(`(${text(entryId)}, 'REFUND', ${text(refundId)}, '${CURRENCY}', ${at})`);
        refundRows.push(
          `(${text(refundId)}, ${text(idAt('pay', instantOf(paymentIndex), paymentIndex))}, ${text(options.businessId)}, 'usr_benchowner', ${refund.amount}, ${refund.fee}, '${CURRENCY}', ${text(REASONS[mix(index, 23) % REASONS.length]!)}, ${at})`,
        );
        line(entryId, business.id, shard, net, at);
        if (refund.fee !== 0) line(entryId, fees.id, shard, -refund.fee, at);
        line(entryId, walletIds[payer]!, 0, refund.amount, at);
        spent[payer] = (spent[payer] ?? 0) - refund.amount;
        refunds += index >= options.before ? 1 : 0;
      } else {
        const amount = paymentAmount(index);
        const fee = paymentFee(amount);
        const paymentId = idAt('pay', instant, index);
        // Refunded later (the refund REFUND_LAG movements on): the payment row says so, as the refund's transaction left it.
        const refunded = index + REFUND_LAG < total && isRefund(index + REFUND_LAG) ? refundOf(index + REFUND_LAG) : { amount: 0, fee: 0 };
        const status = refunded.amount === 0 ? 'COMPLETED' : refunded.amount === amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
        const source = mix(index, 29) % 10 < 6 ? 'SHOP_QR' : mix(index, 29) % 10 < 9 ? 'PAYMENT_REQUEST' : 'PAYMENT_LINK';
        net = amount - fee;
        entryRows.push(`(${text(entryId)}, 'PAYMENT', ${text(paymentId)}, '${CURRENCY}', ${at})`);
        paymentRows.push(
          `(${text(paymentId)}, '${source}', ${text(options.businessId)}, ${text(payerIds[payer]!)}, ${text(payerName(payer))}, ${amount}, ${refunded.amount}, ${fee}, ${FEE_BPS}, ${refunded.fee}, '${CURRENCY}', ${text(reference(index))}, '${status}', ${at})`,
        );
        line(entryId, walletIds[payer]!, 0, -amount, at);
        line(entryId, business.id, shard, net, at);
        line(entryId, fees.id, shard, fee, at);
        spent[payer] = (spent[payer] ?? 0) + amount;
        payments += index >= options.before ? 1 : 0;
      }
      if (index < options.before) opening += net;
      closing += net;
    }
    journalLines += lineRows.length;
    const parents = [
      ...inserts('INSERT INTO journal_entries (id, kind, reference_id, currency, created_at)', entryRows),
      ...inserts(
        'INSERT INTO payments (id, source, business_id, payer_user_id, payer_display_name, amount, refunded_amount, fee, fee_rate_bps, refunded_fee, currency, reference, status, completed_at)',
        paymentRows,
      ),
    ];
    const children = [
      ...inserts('INSERT INTO journal_lines (entry_id, account_id, shard, amount, currency, created_at)', lineRows),
      ...inserts('INSERT INTO refunds (id, payment_id, business_id, created_by_user_id, amount, fee, currency, reason, created_at)', refundRows),
    ];
    // A batch's lines and refunds after its own entries and payments and the batch before's (a refund's payment may be
    // there): the foreign keys. Batches overlap otherwise.
    const previous = parentsWritten;
    let markWritten = () => undefined as void;
    parentsWritten = new Promise<void>((resolve) => (markWritten = resolve));
    await pipeline.submit(async () => {
      try {
        await Promise.all(parents.map((sql) => store.$executeRawUnsafe(sql)));
      } finally {
        markWritten();
      }
      await previous;
      await Promise.all(children.map((sql) => store.$executeRawUnsafe(sql)));
    });
    options.onProgress?.(last, total);
  }
  await pipeline.drain();

  // Each wallet's top-up, a day before the first movement: what it spends and HK$100.00 more.
  const topUpAt = start - DAY_MS;
  const topUpEntries: string[] = [];
  const topUpLines: string[] = [];
  spent.forEach((amount, payer) => {
    const entryId = idAt('jre', topUpAt, 30_000_000 + payer);
    const topUp = amount + 10_000;
    topUpEntries.push(`(${text(entryId)}, 'TOP_UP', ${text(idAt('evt', topUpAt, payer))}, '${CURRENCY}', ${datetime(topUpAt)})`);
    topUpLines.push(`(${text(entryId)}, ${text(funding.id)}, ${payer % SYSTEM_SHARDS}, ${-topUp}, '${CURRENCY}', ${datetime(topUpAt)})`);
    topUpLines.push(`(${text(entryId)}, ${text(walletIds[payer]!)}, 0, ${topUp}, '${CURRENCY}', ${datetime(topUpAt)})`);
    move(funding.id, payer % SYSTEM_SHARDS, -topUp);
    move(walletIds[payer]!, 0, topUp);
  });
  for (const sql of inserts('INSERT INTO journal_entries (id, kind, reference_id, currency, created_at)', topUpEntries)) await store.$executeRawUnsafe(sql);
  for (const sql of inserts('INSERT INTO journal_lines (entry_id, account_id, shard, amount, currency, created_at)', topUpLines)) await store.$executeRawUnsafe(sql);
  journalLines += topUpLines.length;

  // The balance rows: every shard's lines summed (the business's, the fees' and the funding's shards exist already, at 0).
  const now = datetime(to);
  const balanceRows = [...balances].map(([key, balance]) => {
    if (!Number.isSafeInteger(balance)) throw new Error(`a balance outgrew a safe integer: ${balance}`);
    const [accountId, shard] = key.split('\u0000') as [string, string];
    return `(${text(accountId)}, ${shard}, ${balance}, ${now})`;
  });
  for (const sql of inserts('INSERT INTO account_balances (account_id, shard, balance, updated_at)', balanceRows)) {
    await store.$executeRawUnsafe(`${sql} ON DUPLICATE KEY UPDATE balance = VALUES(balance), updated_at = VALUES(updated_at)`);
  }
  await store.$executeRawUnsafe('ANALYZE TABLE accounts, account_balances, journal_entries, journal_lines, payments, refunds');

  return {
    businessAccountId: business.id,
    from: new Date(from),
    to: options.to,
    movements: options.movements,
    payments,
    refunds,
    before: options.before,
    opening: BigInt(opening),
    closing: BigInt(closing),
    journalLines,
    instantOf: (index) => new Date(instantOf(index)),
  };
}
