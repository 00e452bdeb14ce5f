import type { SocialStore } from '@harbour/prisma/social';
import { checkFirst, decodeCursor, encodeCursor } from './cursor';

export interface UserReference {
  __typename: 'User';
  id: string;
}

export interface FriendsPage {
  edges: Array<{ cursor: string; node: UserReference }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * `userId`'s friends (mutual adds only), newest friendship first by
 * (established time, friend id), `first` 1 to 100 after the opaque cursor
 * `after`. One index range read: friend_links (user_id, established_at, friend_id).
 */
export async function listFriends(store: SocialStore, userId: string, args: { first?: number | null; after?: string | null }): Promise<FriendsPage> {
  const first = checkFirst(args.first, 20, 100);
  const after = args.after == null ? null : decodeCursor(args.after);
  const rows = await store.friendLink.findMany({
    where: {
      userId,
      establishedAt: { not: null },
      ...(after ? { OR: [{ establishedAt: { lt: after.at } }, { establishedAt: after.at, friendId: { lt: after.id } }] } : {}),
    },
    orderBy: [{ establishedAt: 'desc' }, { friendId: 'desc' }],
    take: first + 1,
    select: { friendId: true, establishedAt: true },
  });
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({
    cursor: encodeCursor(row.establishedAt!, row.friendId),
    node: { __typename: 'User' as const, id: row.friendId },
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
