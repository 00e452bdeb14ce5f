/**
 * Consumer-side deduplication. The bus delivers at least once, so a consumer
 * records each event id it applied in `processed_events`, in the same
 * transaction as the effect: either both commit or neither does, and a
 * redelivered event finds its row and is skipped.
 */
import type { SqlExecutor, TransactionalClient, TransactionOptions } from '../internal/sql';

export type ApplyOnceResult<R> = { applied: true; result: R } | { applied: false };

export interface ProcessedEvents<Tx = unknown> {
  readonly consumer: string;
  /** Runs `apply` unless this consumer already applied `eventId`. */
  applyOnce<R>(eventId: string, apply: (tx: Tx) => Promise<R>): Promise<ApplyOnceResult<R>>;
}

// processed_events.consumer is VARCHAR(64), event_id VARCHAR(40); INSERT IGNORE would silently truncate longer values.
function checkKey(consumer: string, eventId: string): void {
  if (consumer.length < 1 || consumer.length > 64) throw new RangeError(`Consumer name must be 1 to 64 characters: "${consumer}".`);
  if (eventId.length < 1 || eventId.length > 40) throw new RangeError(`Event id must be 1 to 40 characters: "${eventId}".`);
}

/**
 * Within the caller's transaction `tx`: claims (consumer, eventId) in
 * processed_events, then runs `apply(tx)`. If the row exists the event was
 * applied before and `apply` is skipped. Two consumers racing on one event
 * serialise on the row's key lock: the second waits for the first to commit
 * (then skips) or roll back (then applies).
 */
export async function applyOnce<Tx extends SqlExecutor, R>(
  tx: Tx,
  consumer: string,
  eventId: string,
  apply: (tx: Tx) => Promise<R>,
): Promise<ApplyOnceResult<R>> {
  checkKey(consumer, eventId);
  // INSERT IGNORE reports a duplicate key as 0 rows instead of an error whose shape varies by driver.
  const inserted = await tx.$executeRawUnsafe(
    'INSERT IGNORE INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, UTC_TIMESTAMP(3))',
    consumer,
    eventId,
  );
  if (inserted === 0) return { applied: false };
  return { applied: true, result: await apply(tx) };
}

/** ProcessedEvents over a store's `processed_events` table; each call runs in its own transaction. */
export function sqlProcessedEvents<Tx extends SqlExecutor>(
  client: TransactionalClient<Tx>,
  consumer: string,
  transactionOptions: TransactionOptions = {},
): ProcessedEvents<Tx> {
  checkKey(consumer, 'x');
  return {
    consumer,
    applyOnce: async (eventId, apply) => client.$transaction((tx) => applyOnce(tx, consumer, eventId, apply), transactionOptions),
  };
}

/** ProcessedEvents in memory, for tests and single-process runs; `apply` gets no transaction. */
export function inMemoryProcessedEvents(consumer = 'memory'): ProcessedEvents<undefined> & { has(eventId: string): boolean } {
  const applied = new Set<string>();
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    consumer,
    has: (eventId) => applied.has(eventId),
    async applyOnce(eventId, apply) {
      checkKey(consumer, eventId);
      // As the row lock does in SQL: wait for a concurrent apply of the same event, then look again.
      while (inFlight.has(eventId)) await inFlight.get(eventId)!.catch(() => undefined);
      if (applied.has(eventId)) return { applied: false };
      const running = apply(undefined);
      inFlight.set(eventId, running);
      try {
        const result = await running;
        applied.add(eventId);
        return { applied: true, result };
      } finally {
        inFlight.delete(eventId);
      }
    },
  };
}
