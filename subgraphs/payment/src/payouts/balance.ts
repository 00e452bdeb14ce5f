import type { PaymentStore } from '@harbour/prisma/payment';

/**
 * What a business holds (money-out.md, Balance), exact: `available` is its
 * ledger balance (every shard of its BUSINESS account), `inTransit` the
 * payouts made and not yet PAID or FAILED, whose money already sits in
 * PAYOUT_CLEARING. One statement, so the two agree; the caller passes the
 * primary while the business has just been written to.
 */
export async function businessBalance(store: Pick<PaymentStore, '$queryRaw'>, businessId: string, currency: string): Promise<{ available: bigint; inTransit: bigint }> {
  const [row] = await store.$queryRaw<Array<{ available: bigint | null; in_transit: bigint | null }>>`
    SELECT
      (SELECT SUM(b.balance) FROM account_balances b JOIN accounts a ON a.id = b.account_id
        WHERE a.type = 'BUSINESS' AND a.owner_id = ${businessId} AND a.currency = ${currency}) AS available,
      (SELECT SUM(p.amount) FROM payouts p
        WHERE p.business_id = ${businessId} AND p.currency = ${currency} AND p.status IN ('PENDING', 'IN_TRANSIT')) AS in_transit`;
  return { available: BigInt(row?.available ?? 0), inTransit: BigInt(row?.in_transit ?? 0) };
}
