/**
 * Decoders for the stream commands' replies. They come from `redis.call`,
 * which is untyped, so each shape is checked rather than cast.
 */

export interface StreamEntry {
  id: string;
  /** Field → value; null when Redis reports the entry as deleted. */
  fields: Record<string, string> | null;
}

function fieldsOf(value: unknown): Record<string, string> | null {
  if (!Array.isArray(value)) return null;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < value.length; i += 2) fields[String(value[i])] = String(value[i + 1]);
  return fields;
}

function entriesOf(value: unknown): StreamEntry[] {
  if (!Array.isArray(value)) return [];
  const entries: StreamEntry[] = [];
  for (const item of value) {
    // Redis 6.2 answers a deleted entry with [id, nil]; 7 leaves it out (see XAUTOCLAIM's third element).
    if (Array.isArray(item) && typeof item[0] === 'string') entries.push({ id: item[0], fields: fieldsOf(item[1]) });
  }
  return entries;
}

/** XREADGROUP ... STREAMS key >: `[[key, entries]]`, or null when BLOCK timed out. */
export function parseReadGroup(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((stream: unknown) => (Array.isArray(stream) ? entriesOf(stream[1]) : []));
}

/** XAUTOCLAIM: `[nextCursor, entries, deletedIds]` (Redis 7; 6.2 has no third element). */
export function parseAutoClaim(reply: unknown): { cursor: string; entries: StreamEntry[]; deleted: string[] } {
  if (!Array.isArray(reply)) return { cursor: '0-0', entries: [], deleted: [] };
  const deleted = Array.isArray(reply[2]) ? reply[2].map(String) : [];
  return { cursor: String(reply[0] ?? '0-0'), entries: entriesOf(reply[1]), deleted };
}

/** XPENDING key group start end count [consumer]: `[[id, consumer, idleMs, deliveries], ...]` → id → deliveries. */
export function parsePendingCounts(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(reply)) return counts;
  for (const item of reply) {
    if (Array.isArray(item) && typeof item[0] === 'string') counts.set(item[0], Number(item[3]));
  }
  return counts;
}

/** XRANGE: the entries, oldest first. */
export function parseRange(reply: unknown): StreamEntry[] {
  return entriesOf(reply);
}
