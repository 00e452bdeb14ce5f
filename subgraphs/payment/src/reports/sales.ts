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
 */
export async function salesSummary(store: PaymentStore, businessId: string, from: Date, to: Date): Promise<SalesSummary> {
  if (from >= to) throw badUserInput('`from` must be before `to`.', 'from');
  const [payments, refunds] = await Promise.all([
    store.payment.aggregate({ where: { businessId, completedAt: { gte: from, lt: to } }, _count: { _all: true }, _sum: { amount: true } }),
    store.refund.aggregate({ where: { businessId, createdAt: { gte: from, lt: to } }, _sum: { amount: true } }),
  ]);
  const grossMinor = payments._sum.amount ?? 0n;
  const refundedMinor = refunds._sum.amount ?? 0n;
  return { count: payments._count._all, grossMinor, refundedMinor, netMinor: grossMinor - refundedMinor, currency: 'HKD' };
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
