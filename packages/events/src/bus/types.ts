import type { Logger } from '@harbour/logger';
import type { DomainEvent } from '../definitions/envelope';

/** Where a handler's event came from, and how many times it has been handed out. */
export interface Delivery {
  readonly group: string;
  readonly consumer: string;
  /** 1 on the first delivery; more when an earlier one failed or its consumer died. */
  readonly attempt: number;
}

/**
 * Handles one event. Resolving acknowledges it; throwing leaves it pending,
 * to be delivered again (to this or another consumer of the group) after
 * `minIdleMs`. Events arrive at least once: make the effect idempotent
 * (see ProcessedEvents).
 */
export type EventHandler = (event: DomainEvent, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Where a group that does not exist yet starts: `0` at the oldest retained
   * event (the default: a consumer deployed after its producer misses
   * nothing), `$` at the next one published. An existing group keeps its place.
   */
  startAt?: '0' | '$';
  /**
   * An event handed out this long ago and still unacknowledged is handed out
   * again (default 30 s). Keep it above the slowest handler's time, or a
   * slow event is also given to a second consumer.
   */
  minIdleMs?: number;
  /** After this many failed deliveries the event is dead-lettered and acknowledged (default 5). */
  maxDeliveries?: number;
  /** Events fetched per read (default 32). */
  batchSize?: number;
  /** Longest a read waits for new events before checking for stale pending ones (default 5 s). */
  blockMs?: number;
  /**
   * How long `close()` waits for the handler in progress. After it, the
   * event is abandoned unacknowledged, as if the process had died (default 30 s).
   */
  drainTimeoutMs?: number;
}

export interface Subscription {
  readonly group: string;
  readonly consumer: string;
  /** Resolves once the group exists and this consumer reads it (or once it is closed). Never rejects. */
  readonly ready: Promise<void>;
  /** Stops reading; the handler in progress may finish (see drainTimeoutMs). Idempotent. */
  close(): Promise<void>;
}

/**
 * The internal event bus: at-least-once, consumer groups. Every group gets
 * every event; within a group each event goes to one consumer at a time.
 */
export interface EventBus {
  /** Appends the events in order. Rejects (BusUnavailableError) when the bus cannot take them now. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  subscribe(group: string, consumer: string, handler: EventHandler, options?: SubscribeOptions): Subscription;
  /** Closes every subscription (as `Subscription.close`) and the connections. Idempotent. */
  close(): Promise<void>;
}

/** An event a group gave up on after `maxDeliveries`, kept for an operator. */
export interface DeadLetter {
  /** The event as it was on the bus (null if it was not even valid JSON: see `raw`). */
  event: DomainEvent | null;
  raw: string;
  group: string;
  consumer: string;
  deliveries: number;
  error: string;
  deadAt: string;
}

export interface BusCommonOptions {
  logger?: Logger;
}

export const SUBSCRIBE_DEFAULTS: Required<SubscribeOptions> = {
  startAt: '0',
  minIdleMs: 30_000,
  maxDeliveries: 5,
  batchSize: 32,
  blockMs: 5_000,
  drainTimeoutMs: 30_000,
};

export function subscribeOptions(options: SubscribeOptions = {}): Required<SubscribeOptions> {
  const merged = { ...SUBSCRIBE_DEFAULTS, ...definedOnly(options) };
  for (const key of ['minIdleMs', 'maxDeliveries', 'batchSize', 'blockMs'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) throw new RangeError(`${key} must be a positive integer.`);
  }
  return merged;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
