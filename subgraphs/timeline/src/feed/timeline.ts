import type { TimelineEntry, TimelineStore } from '@harbour/prisma/timeline';
import { TIMELINE_ENTRY_KINDS } from '../entries/kinds';
import { checkFirst, decodeCursor, encodeCursor } from './cursor';

export interface TimelinePage {
  edges: Array<{ cursor: string; node: TimelineEntry }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A user's timeline, newest first by (occurred_at, id): a keyset page on the
 * (user_id, occurred_at, id) index, so pages neither repeat nor skip entries
 * however many share a timestamp or arrive meanwhile. Entries of kinds this
 * build does not know (written by a newer one) are left out: the schema's
 * enum could not represent them.
 */
export async function listTimeline(store: TimelineStore, userId: string, first: number | null | undefined, after: string | null | undefined): Promise<TimelinePage> {
  const limit = checkFirst(first);
  const cursor = after == null ? null : decodeCursor(after);
  const rows = await store.timelineEntry.findMany({
    where: {
      userId,
      kind: { in: [...TIMELINE_ENTRY_KINDS] },
      ...(cursor ? { OR: [{ occurredAt: { lt: cursor.at } }, { occurredAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCursor(node.occurredAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}
