import type { Payout, PaymentStore } from '@harbour/prisma/payment';
import { checkFirst, decodeCursor, encodeCursor } from '../reports/connection';

/** A business's payouts, newest first (by `createdAt`, then id): paging never repeats or skips one. */
export async function listPayouts(store: PaymentStore, businessId: string, first: number | null | undefined, after: string | null | undefined) {
  const limit = checkFirst(first);
  const cursor = after ? decodeCursor(after) : null;
  const rows: Payout[] = await store.payout.findMany({
    where: { businessId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCursor(node.createdAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}
