import { Prisma, type SocialStore } from '@harbour/prisma/social';
import { checkFirst } from './cursor';

/** How far back a friend's payment counts. */
export const RECOMMENDATION_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** Fewer friends than this never make a recommendation, so no single friend's spending shows. */
export const MIN_FRIENDS = 2;

export interface BusinessReference {
  __typename: 'Business';
  id: string;
}

/**
 * Businesses that at least two of `userId`'s friends (mutual) paid in the
 * 30 days before `now` and that `userId` has never paid (as far as the
 * payment.completed events social has seen go: a place the caller already
 * knows is no discovery), ranked by the number of distinct such friends,
 * then by the latest of their payments, then by id so that the order is
 * stable. Only the businesses: never amounts, counts or which friends.
 */
export async function recommendBusinesses(store: SocialStore, userId: string, first: number | null | undefined, now: Date): Promise<BusinessReference[]> {
  const limit = checkFirst(first, 5, 20);
  const since = new Date(now.getTime() - RECOMMENDATION_WINDOW_MS);
  // (business, payer) is business_payers' key and (user, friend) friend_links': COUNT(*) counts distinct friends.
  // The two integers are inlined (checked above): MySQL 8 refuses some bound types in LIMIT.
  const rows = await store.$queryRaw<Array<{ business_id: string }>>`
    SELECT bp.business_id
    FROM friend_links f
    JOIN business_payers bp ON bp.payer_user_id = f.friend_id AND bp.last_paid_at >= ${since}
    WHERE f.user_id = ${userId} AND f.established_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM business_payers mine WHERE mine.business_id = bp.business_id AND mine.payer_user_id = ${userId})
    GROUP BY bp.business_id
    HAVING COUNT(*) >= ${Prisma.raw(String(MIN_FRIENDS))}
    ORDER BY COUNT(*) DESC, MAX(bp.last_paid_at) DESC, bp.business_id DESC
    LIMIT ${Prisma.raw(String(limit))}`;
  return rows.map((row) => ({ __typename: 'Business', id: row.business_id }));
}
