import { badUserInput } from '@harbour/errors';

/** Cursors are opaque to clients: base64url of (time, id), the order of every connection. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || Number.isNaN(at.getTime())) throw badUserInput('The cursor is not valid.', 'after');
  return { at, id };
}

/** `first` of a connection: 1 to 100. */
export function checkFirst(first: number | null | undefined, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw badUserInput('first must be 1 to 100.', 'first');
  return value;
}

/** A page of a connection: its edges and where it ends. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Newest first by (createdAt, id), the order of the business's lists
 * (requests, links, payouts): `after`'s rows as a where clause, the order,
 * and the page made of the `limit + 1` rows fetched with them (the extra
 * row only says whether more follow).
 */
export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export function olderThan(after: string | null | undefined): { OR: Array<{ createdAt: { lt: Date } } | { createdAt: Date; id: { lt: string } }> } | undefined {
  if (!after) return undefined;
  const cursor = decodeCursor(after);
  return { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] };
}

export function newestFirstPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCursor(node.createdAt, node.id), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}
