/**
 * The envelope every event travels in — in the outbox, on the bus, in the
 * analytics feed — and the producer-side helpers that build it.
 */
import type { SubgraphName } from '@harbour/config';
import { monotonicFactory } from 'ulid';
import { InvalidEventError } from '../errors';
import type { EventDefinition, EventPayload } from './define';
import { issuesOf } from './issues';

/** The subgraph that emitted an event. */
export type EventSource = SubgraphName;

export interface DomainEvent<P = unknown, T extends string = string, V extends number = number> {
  /** `evt_` + ULID; consumers deduplicate by it. */
  readonly id: string;
  readonly type: T;
  readonly version: V;
  readonly source: EventSource;
  /** What the event is about, e.g. `payment`; each aggregate's events are delivered in order. */
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** ISO 8601, UTC, millisecond precision (what DATETIME(3) keeps). */
  readonly occurredAt: string;
  readonly payload: P;
}

/** The envelope type of one definition. Distributes over unions of definitions. */
export type EventOf<D> = D extends EventDefinition<infer T, infer V, infer P> ? DomainEvent<P, T, V> : never;

// Monotonic: events one process creates within a millisecond still sort in creation order.
const nextUlid = monotonicFactory();

export function newEventId(): string {
  return `evt_${nextUlid()}`;
}

export interface CreateEventInput<P> {
  source: EventSource;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  /** Defaults to now. */
  occurredAt?: Date | string;
}

// Column sizes of outbox_events: a longer value would fail the insert, after the business change was made.
const AGGREGATE_TYPE_MAX = 32;
const AGGREGATE_ID_MAX = 40;

/**
 * A new event of `definition`, its payload validated (and stripped of keys
 * the definition does not know). Throws InvalidEventError.
 */
export function createEvent<T extends string, V extends number, P extends EventPayload>(
  definition: EventDefinition<T, V, P>,
  input: CreateEventInput<NoInfer<P>>,
): DomainEvent<P, T, V> {
  const { type, version } = definition;
  const parsed = definition.schema.safeParse(input.payload);
  if (!parsed.success) throw new InvalidEventError(`Invalid payload for ${type} v${version}`, issuesOf(parsed.error), type, version);
  const problems = [
    ...(input.aggregateType.length < 1 || input.aggregateType.length > AGGREGATE_TYPE_MAX ? [{ path: 'aggregateType', message: `1 to ${AGGREGATE_TYPE_MAX} characters` }] : []),
    ...(input.aggregateId.length < 1 || input.aggregateId.length > AGGREGATE_ID_MAX ? [{ path: 'aggregateId', message: `1 to ${AGGREGATE_ID_MAX} characters` }] : []),
  ];
  const occurredAt = input.occurredAt === undefined ? new Date() : new Date(input.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) problems.push({ path: 'occurredAt', message: 'not a valid date' });
  if (problems.length) throw new InvalidEventError(`Invalid envelope for ${type} v${version}`, problems, type, version);
  return {
    id: newEventId(),
    type,
    version,
    source: input.source,
    aggregateType: input.aggregateType,
    aggregateId: input.aggregateId,
    occurredAt: occurredAt.toISOString(),
    payload: parsed.data,
  };
}

/** The columns of one outbox_events row, as Prisma's `create` takes them. */
export interface OutboxRowData<P> {
  id: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  version: number;
  payload: P;
  occurredAt: Date;
}

/**
 * `data` for `tx.outboxEvent.create({ data: outboxRow(event) })`, written in
 * the same transaction as the change the event describes. The source is not
 * stored: each store's relay knows which subgraph it relays for.
 */
export function outboxRow<P>(event: DomainEvent<P>): OutboxRowData<P> {
  return {
    id: event.id,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    type: event.type,
    version: event.version,
    payload: event.payload,
    occurredAt: new Date(event.occurredAt),
  };
}

/** Whether `event` is of `definition`'s type and version (by its labels; `parseEvent` validates). */
export function isEvent<T extends string, V extends number, P extends EventPayload>(
  event: DomainEvent,
  definition: EventDefinition<T, V, P>,
): event is DomainEvent<P, T, V> {
  return event.type === definition.type && event.version === definition.version;
}
