import { badUserInput } from '@harbour/errors';
import type { PaymentStore } from '@harbour/prisma/payment';

export interface SalesSummary {
  count: number;
  grossMinor: bigint;
  refundedMinor: bigint;
  netMinor: bigint;
  currency: string;
}

/**
 * The half-open window [from, to): payments completed in it (count, gross)
 * and refunds made in it, whichever payment they refund; net = gross − refunded.
 * One statement (one round trip on the dashboard's every load), each side
 * read through its (business_id, time, id) index.
 */
export async function salesSummary(store: PaymentStore, businessId: string, from: Date, to: Date): Promise<SalesSummary> {
  if (from >= to) throw badUserInput('`from` must be before `to`.', 'from');
  const [row] = await store.$queryRaw<Array<{ count: bigint | number; gross: unknown; refunded: unknown }>>`
    SELECT p.count, p.gross, r.refunded
    FROM (SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS gross
          FROM payments WHERE business_id = ${businessId} AND completed_at >= ${from} AND completed_at < ${to}) p
    CROSS JOIN (SELECT COALESCE(SUM(amount), 0) AS refunded
          FROM refunds WHERE business_id = ${businessId} AND created_at >= ${from} AND created_at < ${to}) r`;
  // SUM of a BIGINT is a DECIMAL: read it as its integer text.
  const grossMinor = BigInt(String(row!.gross));
  const refundedMinor = BigInt(String(row!.refunded));
  return { count: Number(row!.count), grossMinor, refundedMinor, netMinor: grossMinor - refundedMinor, currency: 'HKD' };
}
