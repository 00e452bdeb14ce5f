import type { PaymentStore } from '@harbour/prisma/payment';

/** The ledger's invariants, checked on the primary at one moment (the operations dashboard). */
export interface LedgerHealth {
  checkedAt: Date;
  /** Every account's balance summed per currency: zero for each when the ledger is whole (double entry). */
  totals: Array<{ amount: bigint; currency: string }>;
  /** Journal entries whose lines do not sum to zero. */
  unbalancedEntries: number;
  /** Balance rows that differ from the sum of their own journal lines. */
  balancesOffTheirLines: number;
  /** Wallet and business balance rows below zero, and FEE or PAYOUT_CLEARING accounts whose total is (their shards may dip: one takes what another received). */
  negativeBalances: number;
  /** Currencies whose FEE account differs from the fees charged less the fees refunded. */
  feesOffPayments: number;
  /** Currencies whose PAYOUT_CLEARING account differs from the payouts made and not yet PAID or FAILED. */
  clearingOffPayouts: number;
  healthy: boolean;
}

/**
 * Checks the ledger the way an auditor would: sums, not trust in the code
 * that wrote it. Whole-table scans, for staff on demand, not for clients.
 * The counts are read in one REPEATABLE READ snapshot so they agree.
 */
export async function checkLedgerHealth(store: PaymentStore, now = new Date()): Promise<LedgerHealth> {
  return store.$transaction(
    async (tx) => {
      const totals = await tx.$queryRaw<Array<{ currency: string; total: bigint | null }>>`
        SELECT a.currency, SUM(b.balance) AS total FROM account_balances b JOIN accounts a ON a.id = b.account_id GROUP BY a.currency ORDER BY a.currency`;
      const [unbalanced] = await tx.$queryRaw<Array<{ n: bigint }>>`
        SELECT COUNT(*) AS n FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING SUM(amount) <> 0) t`;
      const [offLines] = await tx.$queryRaw<Array<{ n: bigint }>>`
        SELECT COUNT(*) AS n FROM account_balances b
        LEFT JOIN (SELECT account_id, shard, SUM(amount) AS total FROM journal_lines GROUP BY account_id, shard) l
          ON l.account_id = b.account_id AND l.shard = b.shard
        WHERE b.balance <> COALESCE(l.total, 0)`;
      const [negative] = await tx.$queryRaw<Array<{ n: bigint }>>`
        SELECT
          (SELECT COUNT(*) FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type IN ('WALLET', 'BUSINESS') AND b.balance < 0)
          + (SELECT COUNT(*) FROM (SELECT a.id FROM account_balances b JOIN accounts a ON a.id = b.account_id
              WHERE a.type IN ('FEE', 'PAYOUT_CLEARING') GROUP BY a.id HAVING SUM(b.balance) < 0) t) AS n`;
      // Each system account against the rows it stands for, currency by currency (a currency with neither side is fine).
      const [feesOff] = await tx.$queryRaw<Array<{ n: bigint }>>`
        SELECT COUNT(*) AS n FROM (
          SELECT currency, SUM(amount) AS total FROM (
            SELECT a.currency, SUM(b.balance) AS amount FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type = 'FEE' GROUP BY a.currency
            UNION ALL SELECT currency, -SUM(fee) FROM payments GROUP BY currency
            UNION ALL SELECT currency, SUM(fee) FROM refunds GROUP BY currency
          ) sides GROUP BY currency HAVING SUM(amount) <> 0
        ) t`;
      const [clearingOff] = await tx.$queryRaw<Array<{ n: bigint }>>`
        SELECT COUNT(*) AS n FROM (
          SELECT currency FROM (
            SELECT a.currency, SUM(b.balance) AS amount FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type = 'PAYOUT_CLEARING' GROUP BY a.currency
            UNION ALL SELECT currency, -SUM(amount) FROM payouts WHERE status IN ('PENDING', 'IN_TRANSIT') GROUP BY currency
          ) sides GROUP BY currency HAVING SUM(amount) <> 0
        ) t`;
      const health = {
        checkedAt: now,
        totals: totals.map((row) => ({ amount: BigInt(row.total ?? 0), currency: row.currency })),
        unbalancedEntries: Number(unbalanced!.n),
        balancesOffTheirLines: Number(offLines!.n),
        negativeBalances: Number(negative!.n),
        feesOffPayments: Number(feesOff!.n),
        clearingOffPayouts: Number(clearingOff!.n),
      };
      const counts = health.unbalancedEntries + health.balancesOffTheirLines + health.negativeBalances + health.feesOffPayments + health.clearingOffPayouts;
      const healthy = health.totals.every((total) => total.amount === 0n) && counts === 0;
      return { ...health, healthy };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
