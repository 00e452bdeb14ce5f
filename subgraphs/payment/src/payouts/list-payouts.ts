import type { Payout, PaymentStore } from '@harbour/prisma/payment';
import { checkFirst, newestFirstPage, NEWEST_FIRST, olderThan, type Page } from '../reports/connection';

/** A business's payouts, newest first (by `createdAt`, then id): paging never repeats or skips one. */
export async function listPayouts(store: PaymentStore, businessId: string, first: number | null | undefined, after: string | null | undefined): Promise<Page<Payout>> {
  const limit = checkFirst(first);
  const rows = await store.payout.findMany({ where: { businessId, ...olderThan(after) }, orderBy: NEWEST_FIRST, take: limit + 1 });
  return newestFirstPage(rows, limit);
}
