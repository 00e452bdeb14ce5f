import { Prisma, type PaymentStore } from '@harbour/prisma/payment';
import { bankName } from '../payouts/bank-codes';
import type { StatementRow, StatementRowType } from './render';

/** What the ledger says of one account around a window: its balance at `from` and at `to`, from the journal. */
export interface WindowBalances {
  opening: bigint;
  closing: bigint;
}

export class LedgerMismatch extends Error {
  override name = 'LedgerMismatch';
}

const bigintOf = (value: unknown): bigint => (value === null || value === undefined ? 0n : BigInt(String(value)));

/**
 * The account's balance at `from` and at `to`: the sum of its journal lines
 * before each instant. In one snapshot with the balance rows, it also checks
 * the whole journal of the account against them (every line ever, summed,
 * is the balance now), so the statement's ends are the ledger's own balances
 * and not a sum that merely agrees with itself. One scan of the account's
 * index (account_id, created_at, entry_id, amount), never the table.
 */
export async function windowBalances(store: PaymentStore, accountId: string, from: Date, to: Date): Promise<WindowBalances> {
  return store.$transaction(
    async (tx) => {
      const [sums] = await tx.$queryRaw<Array<{ before_from: unknown; before_to: unknown; journal: unknown }>>`
        SELECT SUM(CASE WHEN created_at < ${from} THEN amount ELSE 0 END) AS before_from,
               SUM(CASE WHEN created_at < ${to} THEN amount ELSE 0 END) AS before_to,
               SUM(amount) AS journal
        FROM journal_lines WHERE account_id = ${accountId}`;
      const [held] = await tx.$queryRaw<Array<{ balance: unknown }>>`SELECT SUM(balance) AS balance FROM account_balances WHERE account_id = ${accountId}`;
      const journal = bigintOf(sums?.journal);
      const balance = bigintOf(held?.balance);
      if (journal !== balance) throw new LedgerMismatch(`account ${accountId}: its journal sums to ${journal}, its balance rows to ${balance}`);
      return { opening: bigintOf(sums?.before_from), closing: bigintOf(sums?.before_to) };
    },
    // One consistent read view for both statements (InnoDB's REPEATABLE READ snapshot).
    { isolationLevel: 'RepeatableRead', maxWait: 5_000, timeout: 120_000 },
  );
}

interface MovementRow {
  entry_id: string;
  created_at: Date;
  net: unknown;
  kind: string;
  reference_id: string;
  payment_amount: unknown;
  payment_reference: string | null;
  payer_display_name: string | null;
  refund_amount: unknown;
  refund_reason: string | null;
  refund_payment_id: string | null;
  refund_reference: string | null;
  payout_amount: unknown;
  bank_code: string | null;
  account_number_last4: string | null;
  failure_code: string | null;
}

export interface MovementsOptions {
  accountId: string;
  from: Date;
  to: Date;
  currency: string;
  /** The balance at `from`: each row's `balance_after` runs on from it. */
  opening: bigint;
  /** Entries per query (default 2,000). */
  pageSize?: number;
}

/**
 * Every movement of the account in [from, to), oldest first: one row per
 * journal entry (a payout taking from several balance shards is one
 * movement, its lines summed), with what it was for. Reads a page at a time
 * by the keyset (created_at, entry_id) on the account's index, and asks for
 * the next page while the caller consumes this one: at most two pages are
 * ever held, however long the statement.
 */
export async function* movements(store: PaymentStore, options: MovementsOptions): AsyncGenerator<StatementRow, void, undefined> {
  const pageSize = options.pageSize ?? 2_000;
  let balance = options.opening;
  // '' sorts before every id: the first page starts at `from` itself.
  let next: Promise<MovementRow[]> | null = movementPage(store, options, { createdAt: options.from, entryId: '' }, pageSize);
  while (next) {
    const page: MovementRow[] = await next;
    const last = page.at(-1);
    next = page.length === pageSize && last ? movementPage(store, options, { createdAt: last.created_at, entryId: last.entry_id }, pageSize) : null;
    // Keep a failure of the read ahead from being unhandled while this page is consumed; it is awaited above.
    next?.catch(() => undefined);
    for (const movement of page) {
      const row = statementRow(movement, options.currency, balance);
      balance = row.balanceAfter;
      yield row;
    }
  }
}

function movementPage(store: PaymentStore, options: MovementsOptions, after: { createdAt: Date; entryId: string }, pageSize: number): Promise<MovementRow[]> {
  return store.$queryRaw<MovementRow[]>(movementPageSql(options, after, pageSize));
}

/** One page's query: the entries of the account after `after` in [from, to), with what each was for (`.sql` and `.values` run it on the driver too). */
export function movementPageSql(options: Pick<MovementsOptions, 'accountId' | 'from' | 'to'>, after: { createdAt: Date; entryId: string }, pageSize: number): Prisma.Sql {
  return Prisma.sql`
    SELECT g.entry_id, g.created_at, g.net, e.kind, e.reference_id,
           p.amount AS payment_amount, p.reference AS payment_reference, p.payer_display_name,
           r.amount AS refund_amount, r.reason AS refund_reason, r.payment_id AS refund_payment_id, rp.reference AS refund_reference,
           po.amount AS payout_amount, po.bank_code, po.account_number_last4, po.failure_code
    FROM (
      SELECT l.entry_id, l.created_at, SUM(l.amount) AS net
      FROM journal_lines l
      WHERE l.account_id = ${options.accountId}
        AND l.created_at >= ${options.from} AND l.created_at < ${options.to}
        AND (l.created_at > ${after.createdAt} OR (l.created_at = ${after.createdAt} AND l.entry_id > ${after.entryId}))
      GROUP BY l.created_at, l.entry_id
      ORDER BY l.created_at, l.entry_id
      LIMIT ${pageSize}
    ) g
    JOIN journal_entries e ON e.id = g.entry_id
    LEFT JOIN payments p ON e.kind = 'PAYMENT' AND p.id = e.reference_id
    LEFT JOIN refunds r ON e.kind = 'REFUND' AND r.id = e.reference_id
    LEFT JOIN payments rp ON rp.id = r.payment_id
    LEFT JOIN payouts po ON e.kind IN ('PAYOUT', 'PAYOUT_REVERSAL') AND po.id = e.reference_id
    ORDER BY g.created_at, g.entry_id`;
}

/**
 * One movement as a statement row. `net` is always what the ledger moved
 * (the lines' sum); `gross` is what the payment, refund or payout was for,
 * and `fee` the difference (a payment's fee negative, a refunded fee
 * positive), so gross + fee = net on every row.
 */
export function statementRow(movement: MovementRow, currency: string, balanceBefore: bigint): StatementRow {
  const net = bigintOf(movement.net);
  const common = { occurredAt: movement.created_at, net, balanceAfter: balanceBefore + net, currency };
  const as = (type: StatementRowType, id: string, gross: bigint, reference: string | null, description: string): StatementRow => ({
    ...common,
    type,
    id,
    reference,
    description,
    gross,
    fee: net - gross,
  });
  switch (movement.kind) {
    case 'PAYMENT':
      if (movement.payment_amount === null) break;
      return as('PAYMENT', movement.reference_id, bigintOf(movement.payment_amount), movement.payment_reference, `Payment from ${movement.payer_display_name ?? 'a customer'}`);
    case 'REFUND': {
      if (movement.refund_amount === null) break;
      const reason = movement.refund_reason ? `: ${movement.refund_reason}` : '';
      return as('REFUND', movement.reference_id, -bigintOf(movement.refund_amount), movement.refund_reference, `Refund of payment ${movement.refund_payment_id}${reason}`);
    }
    case 'PAYOUT':
    case 'PAYOUT_REVERSAL': {
      if (movement.payout_amount === null) break;
      // What matters first (a PDF cuts long descriptions short): the account, the failure, then the bank's long name.
      const account = `account ending ${movement.account_number_last4} at ${bankName(movement.bank_code ?? '') ?? `bank ${movement.bank_code}`}`;
      return movement.kind === 'PAYOUT'
        ? as('PAYOUT', movement.reference_id, net, null, `Payout to ${account}`)
        : as('PAYOUT_REVERSAL', movement.reference_id, net, null, `Payout returned (${movement.failure_code ?? 'failed'}): ${account}`);
    }
  }
  // Anything else that moved the business's money (none is written today) is listed as what it is, by its entry.
  return as('ADJUSTMENT', movement.entry_id, net, null, `Ledger adjustment (${movement.kind})`);
}
