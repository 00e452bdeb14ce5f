import type { Prisma } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';

export type EntryKind = 'TOP_UP' | 'PAYMENT' | 'REFUND' | 'TRANSFER' | 'PAYOUT' | 'PAYOUT_PAID' | 'PAYOUT_REVERSAL';

/** One side of an entry: credit positive, debit negative, on one shard of one account. */
export interface Line {
  accountId: string;
  shard: number;
  amount: bigint;
  /** The balance was already moved in this transaction by a guarded update (debitIfCovered). */
  applied?: boolean;
}

export class UnbalancedEntry extends Error {
  override name = 'UnbalancedEntry';
}

/**
 * Posts an immutable double-entry journal entry and moves the balances of
 * the shards it touches, in the caller's transaction. The lines must sum to
 * zero: money is never made or lost, only moved. Callers lock (and check)
 * any balance that must not go below zero before posting.
 */
export async function postEntry(
  tx: Prisma.TransactionClient,
  entry: { kind: EntryKind; referenceId: string; currency: string; createdAt: Date; lines: Line[] },
): Promise<string> {
  const total = entry.lines.reduce((sum, line) => sum + line.amount, 0n);
  if (total !== 0n || entry.lines.length < 2) throw new UnbalancedEntry(`A ${entry.kind} entry must balance (sums to ${total}).`);
  const id = newId('journalEntry');
  // createMany: one INSERT each, without the read-back a create would add.
  await tx.journalEntry.createMany({ data: [{ id, kind: entry.kind, referenceId: entry.referenceId, currency: entry.currency, createdAt: entry.createdAt }] });
  await tx.journalLine.createMany({
    data: entry.lines.map((line) => ({ entryId: id, accountId: line.accountId, shard: line.shard, amount: line.amount, currency: entry.currency, createdAt: entry.createdAt })),
  });
  for (const line of entry.lines) {
    if (line.applied) continue;
    await tx.$executeRaw`
      UPDATE account_balances SET balance = balance + ${line.amount}, updated_at = ${entry.createdAt}
      WHERE account_id = ${line.accountId} AND shard = ${line.shard}`;
  }
  return id;
}

/**
 * Takes `amount` from a wallet only if it holds that much, in one guarded
 * update (which also locks the row until the transaction ends). False: the
 * wallet holds less, and nothing changed.
 */
export async function debitIfCovered(tx: Prisma.TransactionClient, accountId: string, amount: bigint, at: Date): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE account_balances SET balance = balance - ${amount}, updated_at = ${at}
    WHERE account_id = ${accountId} AND shard = 0 AND balance >= ${amount}`;
  return changed === 1;
}

/** Locks a wallet's balance (its single shard) until the transaction ends, and reads it. */
export async function lockWallet(tx: Prisma.TransactionClient, accountId: string): Promise<bigint> {
  const [row] = await tx.$queryRaw<Array<{ balance: bigint }>>`
    SELECT balance FROM account_balances WHERE account_id = ${accountId} AND shard = 0 FOR UPDATE`;
  if (!row) throw new Error(`Wallet account ${accountId} has no balance row.`);
  return BigInt(row.balance);
}

/** Locks every shard of an account (in shard order, the global lock order) and reads them. */
export async function lockAllShards(tx: Prisma.TransactionClient, accountId: string): Promise<Array<{ shard: number; balance: bigint }>> {
  const rows = await tx.$queryRaw<Array<{ shard: number; balance: bigint }>>`
    SELECT shard, balance FROM account_balances WHERE account_id = ${accountId} ORDER BY shard FOR UPDATE`;
  return rows.map((row) => ({ shard: Number(row.shard), balance: BigInt(row.balance) }));
}

/** A shard to credit, at random: concurrent credits to one busy account land on different rows. */
export const anyShard = (shardCount: number) => Math.floor(Math.random() * shardCount);

/**
 * Debit lines taking `amount` from an account's shards, largest first, none
 * below zero. The shards must be locked (lockAllShards) and hold enough.
 */
export function debitAcrossShards(accountId: string, shards: Array<{ shard: number; balance: bigint }>, amount: bigint): Line[] {
  const lines: Line[] = [];
  let remaining = amount;
  for (const { shard, balance } of [...shards].sort((a, b) => (b.balance > a.balance ? 1 : b.balance < a.balance ? -1 : a.shard - b.shard))) {
    if (remaining === 0n) break;
    const take = balance < remaining ? balance : remaining;
    if (take > 0n) {
      lines.push({ accountId, shard, amount: -take });
      remaining -= take;
    }
  }
  if (remaining !== 0n) throw new Error('debitAcrossShards: the shards do not hold the amount.');
  return lines;
}
