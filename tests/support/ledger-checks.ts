import { connectToDatabase } from './database';

/** Reads the payment store directly to check the ledger's invariants after a run. */
export async function ledgerInvariants(paymentDatabaseUrl: string) {
  const connection = await connectToDatabase(paymentDatabaseUrl);
  const rows = async <T>(sql: string, values: unknown[] = []) => (await connection.query(sql, values)) as T[];
  try {
    const [total] = await rows<{ total: bigint | null }>('SELECT SUM(balance) AS total FROM account_balances');
    const unbalancedEntries = await rows<{ entry_id: string; total: bigint }>(
      'SELECT entry_id, SUM(amount) AS total FROM journal_lines GROUP BY entry_id HAVING SUM(amount) <> 0',
    );
    const balancesOffTheirLines = await rows<{ account_id: string; shard: number }>(`
      SELECT b.account_id, b.shard FROM account_balances b
      LEFT JOIN (SELECT account_id, shard, SUM(amount) AS total FROM journal_lines GROUP BY account_id, shard) l
        ON l.account_id = b.account_id AND l.shard = b.shard
      WHERE b.balance <> COALESCE(l.total, 0)`);
    const negativeWallets = await rows<{ account_id: string }>(
      "SELECT b.account_id FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type IN ('WALLET', 'BUSINESS') AND b.balance < 0",
    );
    const entriesPerReference = await rows<{ reference_id: string; n: bigint }>(
      "SELECT reference_id, COUNT(*) AS n FROM journal_entries WHERE kind <> 'TOP_UP' GROUP BY reference_id HAVING COUNT(*) > 1",
    );
    const accountBalance = async (type: string, ownerId: string) => {
      const [row] = await rows<{ balance: bigint | null }>(
        'SELECT SUM(b.balance) AS balance FROM account_balances b JOIN accounts a ON a.id = b.account_id WHERE a.type = ? AND a.owner_id = ?',
        [type, ownerId],
      );
      return BigInt(row?.balance ?? 0);
    };
    const count = async (sql: string, values: unknown[] = []) => Number((await rows<{ n: bigint }>(sql, values))[0]!.n);
    return {
      sumOfAllAccounts: BigInt(total?.total ?? 0),
      unbalancedEntries,
      balancesOffTheirLines,
      negativeWallets,
      entriesPerReference,
      accountBalance,
      count,
      close: () => connection.end(),
    };
  } catch (error) {
    await connection.end();
    throw error;
  }
}
