import type { Prisma } from '@harbour/prisma/payment';

/**
 * The rate a business pays now, in basis points: its own (set by staff) or
 * `defaultBps` (MERCHANT_FEE_BPS). Read inside the payment's transaction, so
 * the rate fixed on a payment is the one in force when it completed.
 */
export async function feeRateOf(tx: Pick<Prisma.TransactionClient, '$queryRaw'>, businessId: string, defaultBps: number): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ fee_rate_bps: number }>>`SELECT fee_rate_bps FROM business_fee_rates WHERE business_id = ${businessId}`;
  return row ? Number(row.fee_rate_bps) : defaultBps;
}
