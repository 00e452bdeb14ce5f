import type { Prisma } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';

export type EntryKind = 'TOP_UP' | 'PAYMENT' | 'REFUND' | 'TRANSFER';

/** One side of an entry: credit positive, debit negative, on one shard of one account. */
export interface Line {
  accountId: string;
  shard: number;
  amount: bigint;
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
  await tx.journalEntry.create({
    data: {
      id,
      kind: entry.kind,
      referenceId: entry.referenceId,
      currency: entry.currency,
      createdAt: entry.createdAt,
      lines: {
        createMany: {
          data: entry.lines.map((line) => ({ accountId: line.accountId, shard: line.shard, amount: line.amount, currency: entry.currency, createdAt: entry.createdAt })),
        },
      },
    },
  });
  for (const line of entry.lines) {
    await tx.$executeRaw`
      UPDATE account_balances SET balance = balance + ${line.amount}, updated_at = ${entry.createdAt}
      WHERE account_id = ${line.accountId} AND shard = ${line.shard}`;
  }
  return id;
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
