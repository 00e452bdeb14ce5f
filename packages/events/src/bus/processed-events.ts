/**
 * Consumer-side deduplication. The bus delivers at least once, so a consumer
 * records each event id it applied in `processed_events`, in the same
 * transaction as the effect: either both commit or neither does, and a
 * redelivered event finds its row and is skipped.
 */
import type { SqlExecutor, TransactionalClient, TransactionOptions } from '../internal/sql';

export type ApplyOnceResult<R> = { applied: true; result: R } | { applied: false };

/**
 * What an event is recorded under: its id, or every id one fact may have
 * been recorded under (`processedIdsOf`), the one every consumer claims first
 * leading. All are recorded; any one found means the fact was applied.
 */
export type ProcessedIds = string | readonly string[];

export interface ProcessedEvents<Tx = unknown> {
  readonly consumer: string;
  /** Runs `apply` unless this consumer already applied the event (any of `eventIds`). */
  applyOnce<R>(eventIds: ProcessedIds, apply: (tx: Tx) => Promise<R>): Promise<ApplyOnceResult<R>>;
}

const idsOf = (eventIds: ProcessedIds): readonly string[] => (typeof eventIds === 'string' ? [eventIds] : eventIds);

// processed_events.consumer is VARCHAR(64), event_id VARCHAR(40); INSERT IGNORE would silently truncate longer values.
function checkKey(consumer: string, eventId: string): void {
  if (consumer.length < 1 || consumer.length > 64) throw new RangeError(`Consumer name must be 1 to 64 characters: "${consumer}".`);
  if (eventId.length < 1 || eventId.length > 40) throw new RangeError(`Event id must be 1 to 40 characters: "${eventId}".`);
}

/**
 * Within the caller's transaction `tx`: claims (consumer, id) in
 * processed_events for each of `eventIds`, in order, then runs `apply(tx)`.
 * If any row exists the event was applied before and `apply` is skipped
 * (the ids claimed before it stay: they name the same applied fact). Two
 * consumers racing on one event serialise on the first id's key lock: the
 * second waits for the first to commit (then skips) or roll back (then
 * applies).
 */
export async function applyOnce<Tx extends SqlExecutor, R>(
  tx: Tx,
  consumer: string,
  eventIds: ProcessedIds,
  apply: (tx: Tx) => Promise<R>,
): Promise<ApplyOnceResult<R>> {
  const ids = idsOf(eventIds);
  if (ids.length === 0) throw new RangeError('An event needs at least one id to be recorded under.');
  for (const eventId of ids) checkKey(consumer, eventId);
  for (const eventId of ids) {
    // INSERT IGNORE reports a duplicate key as 0 rows instead of an error whose shape varies by driver.
    const inserted = await tx.$executeRawUnsafe(
      'INSERT IGNORE INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, UTC_TIMESTAMP(3))',
      consumer,
      eventId,
    );
    if (inserted === 0) return { applied: false };
  }
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
    applyOnce: async (eventIds, apply) => client.$transaction((tx) => applyOnce(tx, consumer, eventIds, apply), transactionOptions),
  };
}

/** ProcessedEvents in memory, for tests and single-process runs; `apply` gets no transaction. */
export function inMemoryProcessedEvents(consumer = 'memory'): ProcessedEvents<undefined> & { has(eventId: string): boolean } {
  const applied = new Set<string>();
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    consumer,
    has: (eventId) => applied.has(eventId),
    async applyOnce(eventIds, apply) {
      const ids = idsOf(eventIds);
      if (ids.length === 0) throw new RangeError('An event needs at least one id to be recorded under.');
      for (const eventId of ids) checkKey(consumer, eventId);
      const [lead] = ids as [string];
      // As the first id's row lock does in SQL: wait for a concurrent apply of the same event, then look again.
      while (inFlight.has(lead)) await inFlight.get(lead)!.catch(() => undefined);
      if (ids.some((eventId) => applied.has(eventId))) {
        ids.forEach((eventId) => applied.add(eventId));
        return { applied: false };
      }
      const running = apply(undefined);
      inFlight.set(lead, running);
      try {
        const result = await running;
        ids.forEach((eventId) => applied.add(eventId));
        return { applied: true, result };
      } finally {
        inFlight.delete(lead);
      }
    },
  };
}
