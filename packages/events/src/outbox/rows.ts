/** Reading outbox_events rows back into envelopes. */
import type { DomainEvent, EventSource } from '../definitions/envelope';

/** The two destinations' markers: a column per destination, so each relay tracks its own progress. */
export const OUTBOX_MARKERS = ['published_at', 'analytics_published_at'] as const;
export type OutboxMarker = (typeof OUTBOX_MARKERS)[number];

/**
 * The (marker, sequence) index of each marker, as every store's outbox
 * migration names it. Relays must all lock through it: if one relay's plan
 * locked primary-key records first and another's the index entries first,
 * the two would deadlock, so the planner is not left to choose.
 */
export const MARKER_INDEXES: Readonly<Record<OutboxMarker, string>> = {
  published_at: 'outbox_events_published_at_sequence_idx',
  analytics_published_at: 'outbox_events_analytics_published_at_sequence_idx',
};

/** A row as `$queryRawUnsafe` returns it (through the mariadb driver adapter, on MariaDB or MySQL 8). */
export interface OutboxSqlRow {
  id: string;
  sequence: bigint | number | string;
  aggregate_type: string;
  aggregate_id: string;
  type: string;
  version: number | bigint;
  payload: unknown;
  occurred_at: Date | string;
}

export const SELECT_COLUMNS = 'id, sequence, aggregate_type, aggregate_id, type, version, payload, occurred_at';

export function eventFromRow(row: OutboxSqlRow, source: EventSource): DomainEvent {
  // MariaDB's JSON is LONGTEXT and may arrive as text; MySQL's arrives parsed.
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  return {
    id: row.id,
    type: row.type,
    version: Number(row.version),
    source,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    occurredAt: utcIso(row.occurred_at),
    payload,
  };
}

/** DATETIME(3) holds UTC (Prisma writes it so); text comes as `YYYY-MM-DD hh:mm:ss.fff`. */
export function utcIso(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`).toISOString();
}
