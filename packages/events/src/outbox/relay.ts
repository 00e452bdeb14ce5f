/**
 * The outbox relay: moves events from a store's outbox_events table to one
 * destination (the bus, or the analytics feed), in sequence order.
 *
 * Each batch is one transaction: lock the oldest unmarked rows (FOR UPDATE),
 * publish them in order, mark them, commit. A second relay of the same store
 * (another pod) blocks on the first locked row until the first commits, then
 * finds the next rows — so relays take turns and never reorder. SKIP LOCKED
 * would let them overtake each other; it is deliberately not used.
 *
 * When the destination fails the transaction rolls back: nothing is marked,
 * the same rows are retried after a backoff. A crash between publish and
 * commit republishes the batch: delivery is at least once.
 */
import { createLogger, type Logger } from '@harbour/logger';
import type { DomainEvent, EventSource } from '../definitions/envelope';
import { Backoff, Doorbell, errorMessage, sleep, type BackoffOptions } from '../internal/async';
import type { TransactionalClient } from '../internal/sql';
import { eventFromRow, MARKER_INDEXES, OUTBOX_MARKERS, SELECT_COLUMNS, utcIso, type OutboxMarker, type OutboxSqlRow } from './rows';

/** Where a relay sends events: an EventBus or an analytics feed. */
export interface OutboxDestination {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export interface OutboxRelayOptions {
  /** A Prisma client of a store with an outbox_events table (user, business, payment). */
  client: TransactionalClient;
  /** The subgraph whose outbox this is; it becomes each envelope's `source`. */
  source: EventSource;
  destination: OutboxDestination;
  /** The column this relay sets (default `published_at`, the bus). */
  marker?: OutboxMarker;
  /** Rows per transaction (default 100). */
  batchSize?: number;
  /** How long to sleep when the outbox is empty, unless `wake()` comes first (default 1 s). */
  pollMs?: number;
  /** Retry delays after a failure (default 200 ms doubling to 30 s). */
  backoff?: BackoffOptions;
  /** Upper bound of one batch's transaction (default 30 s). */
  transactionTimeoutMs?: number;
  logger?: Logger;
}

export interface OutboxRelayMetrics {
  /** Events marked published since start. */
  published: number;
  /** Batches committed. */
  batches: number;
  /** Failed attempts (destination or database), in total and since the last success. */
  failures: number;
  consecutiveFailures: number;
  /** Age of the oldest event not yet marked, in ms (0 when none). */
  lagMs: number;
}

export class OutboxRelay {
  private readonly client: TransactionalClient;
  private readonly source: EventSource;
  private readonly destination: OutboxDestination;
  private readonly marker: OutboxMarker;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly transactionTimeoutMs: number;
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private readonly doorbell = new Doorbell();
  private stopSignal = new AbortController();
  private loop?: Promise<void>;
  private stopping = false;
  private counters = { published: 0, batches: 0, failures: 0, consecutiveFailures: 0 };

  constructor(options: OutboxRelayOptions) {
    this.client = options.client;
    this.source = options.source;
    this.destination = options.destination;
    this.marker = options.marker ?? 'published_at';
    // The marker is interpolated into SQL: only the two known columns may get there.
    if (!OUTBOX_MARKERS.includes(this.marker)) throw new TypeError(`Unknown outbox marker column "${String(this.marker)}".`);
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 1_000;
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
    this.backoff = new Backoff(options.backoff);
    this.logger = (options.logger ?? createLogger('events')).child({ component: 'outbox-relay', source: this.source, marker: this.marker });
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.stopSignal = new AbortController();
    this.loop = this.run();
  }

  /** Call after committing a transaction that wrote to the outbox: the relay looks now instead of at the next poll. */
  wake(): void {
    this.doorbell.ring();
  }

  /** Finishes the batch in progress (publish and mark), then stops. A relay waiting out a backoff stops at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.doorbell.ring();
    await this.loop;
    this.loop = undefined;
  }

  /** Relays one batch; resolves to the number of events published. Rejects when the destination or database fails. */
  async relayOnce(): Promise<number> {
    const count = await this.client.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<OutboxSqlRow[]>(
          `SELECT ${SELECT_COLUMNS} FROM outbox_events FORCE INDEX (${MARKER_INDEXES[this.marker]})
           WHERE ${this.marker} IS NULL ORDER BY sequence LIMIT ? FOR UPDATE`,
          this.batchSize,
        );
        if (rows.length === 0) return 0;
        await this.destination.publish(rows.map((row) => eventFromRow(row, this.source)));
        await tx.$executeRawUnsafe(
          `UPDATE outbox_events SET ${this.marker} = UTC_TIMESTAMP(3) WHERE id IN (${rows.map(() => '?').join(', ')})`,
          ...rows.map((row) => row.id),
        );
        return rows.length;
      },
      // READ COMMITTED: the locking read takes no gap locks, so writers can keep appending to the outbox meanwhile.
      { isolationLevel: 'ReadCommitted', timeout: this.transactionTimeoutMs, maxWait: 10_000 },
    );
    if (count > 0) {
      this.counters.published += count;
      this.counters.batches += 1;
    }
    return count;
  }

  async metrics(): Promise<OutboxRelayMetrics> {
    const rows = await this.client.$queryRawUnsafe<{ occurred_at: Date | string }[]>(
      `SELECT occurred_at FROM outbox_events WHERE ${this.marker} IS NULL ORDER BY sequence LIMIT 1`,
    );
    const oldest = rows[0] ? Date.parse(utcIso(rows[0].occurred_at)) : undefined;
    return { ...this.counters, lagMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest) };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let count: number;
      try {
        count = await this.relayOnce();
      } catch (error) {
        this.counters.failures += 1;
        this.counters.consecutiveFailures += 1;
        const delay = this.backoff.next();
        this.logger.warn({ err: error, retryInMs: delay, consecutiveFailures: this.counters.consecutiveFailures }, `Outbox relay failed: ${errorMessage(error)}`);
        await sleep(delay, this.stopSignal.signal);
        continue;
      }
      if (this.counters.consecutiveFailures > 0) {
        this.logger.info({ failures: this.counters.consecutiveFailures }, 'Outbox relay recovered');
        this.counters.consecutiveFailures = 0;
        this.backoff.reset();
      }
      // A full batch means more may be waiting: go on at once.
      if (count < this.batchSize && !this.stopping) await this.doorbell.wait(this.pollMs);
    }
  }
}
