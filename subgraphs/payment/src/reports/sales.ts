import { badUserInput } from '@harbour/errors';
import type { Payment, PaymentStore } from '@harbour/prisma/payment';
import { checkFirst, decodeCursor, encodeCursor } from './connection';

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

export interface PaymentPage {
  edges: Array<{ cursor: string; node: Payment }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A business's payments, newest first by (completed_at, id). */
export async function listPayments(store: PaymentStore, businessId: string, first: number | null | undefined, after: string | null | undefined): Promise<PaymentPage> {
  const limit = checkFirst(first);
  const cursor = after ? decodeCursor(after) : null;
  const rows = await store.payment.findMany({
    where: {
      businessId,
      ...(cursor ? { OR: [{ completedAt: { lt: cursor.at } }, { completedAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.completedAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}
