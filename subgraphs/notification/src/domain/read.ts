/** The reader's side: a user's notifications, newest first, and how many they have not read. */
import { badUserInput, notFound } from '@harbour/errors';
import type { Notification, NotificationStore } from '@harbour/prisma/notification';
import { checkFirst, decodeCursor, encodeCursor } from './connection';
import { readableKinds } from './kinds';

export interface NotificationPage {
  edges: Array<{ cursor: string; node: Notification }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** `userId`'s notifications newest first by (created_at, id), `first` (1–100) after the cursor `after`. */
export async function listNotifications(
  store: NotificationStore,
  userId: string,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<NotificationPage> {
  const limit = checkFirst(first);
  const cursor = after ? decodeCursor(after) : null;
  const rows = await store.notification.findMany({
    where: {
      userId,
      kind: { in: readableKinds() },
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.createdAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** All of `userId`'s unread notifications (not one page's). */
export function countUnread(store: NotificationStore, userId: string): Promise<number> {
  return store.notification.count({ where: { userId, readAt: null, kind: { in: readableKinds() } } });
}

export const MARK_READ_MAX_IDS = 100;

/**
 * Marks `ids` read for `userId` and answers their unread count. All or
 * nothing: if any id is not one of `userId`'s notifications (someone else's,
 * or none at all) nothing is marked and the answer is NOT_FOUND, which does
 * not say which id, nor whether it exists. Already-read ones keep their time;
 * an id given twice counts once. More than 100 ids: BAD_USER_INPUT.
 */
export async function markNotificationsRead(store: NotificationStore, userId: string, ids: readonly string[], now: Date): Promise<number> {
  if (ids.length > MARK_READ_MAX_IDS) throw badUserInput(`At most ${MARK_READ_MAX_IDS} ids at a time.`, 'ids');
  const unique = [...new Set(ids)];
  if (unique.length) {
    // Notifications are never deleted or given to someone else, so what is the caller's now stays so.
    const own = await store.notification.count({ where: { id: { in: unique }, userId } });
    if (own !== unique.length) throw notFound('Notification');
    await store.notification.updateMany({ where: { id: { in: unique }, userId, readAt: null }, data: { readAt: now } });
  }
  return countUnread(store, userId);
}
