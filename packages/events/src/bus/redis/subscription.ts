/**
 * One consumer of one group on the Redis stream. It owns a connection,
 * because XREADGROUP BLOCK holds its connection for the whole wait.
 *
 * Loop: make sure the group exists; every so often XAUTOCLAIM entries other
 * consumers (or this one) left pending longer than minIdleMs; otherwise
 * XREADGROUP new entries. Each entry is XACKed after its handler succeeds.
 */
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import { Backoff, settlesWithin, sleep } from '../../internal/async';
import { decodeEvent } from '../codec';
import { deliver } from '../deliver';
import type { EventHandler, SubscribeOptions, Subscription } from '../types';
import { connect, disconnect, isBusyGroupError, isNoGroupError, isTimeoutError, watchConnection, type RedisTarget } from './connection';
import { parseAutoClaim, parsePendingCounts, parseReadGroup, type StreamEntry } from './replies';

export interface StreamKeys {
  target: RedisTarget;
  stream: string;
  dead: string;
  maxLen: number;
  logger: Logger;
}

/** The stream field holding the envelope's JSON. */
export const EVENT_FIELD = 'event';

export class RedisSubscription implements Subscription {
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly connection: Redis;
  private readonly stopSignal = new AbortController();
  private readonly reclaimEveryMs: number;
  private readonly done: Promise<void>;
  private stopped = false;
  private abandoned = false;
  /** True while a handler (and its ack) runs: close() lets it finish. */
  private handling = false;
  private groupExists = false;
  private reclaimCursor = '0-0';
  private nextReclaimAt = 0;
  private closing?: Promise<void>;

  constructor(
    private readonly keys: StreamKeys,
    readonly group: string,
    readonly consumer: string,
    private readonly handler: EventHandler,
    private readonly options: Required<SubscribeOptions>,
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    // Half the idle time, so a stale entry waits at most 1.5 × minIdleMs.
    this.reclaimEveryMs = Math.min(Math.max(Math.floor(options.minIdleMs / 2), 20), 10_000);
    this.connection = connect(keys.target, {
      // Commands wait for a reconnection (up to commandTimeout) instead of failing at once: the loop just resumes.
      maxRetriesPerRequest: null,
      // No reply (not even to a BLOCK that should have timed out) for this long: see run().
      commandTimeout: options.blockMs + 10_000,
      connectionName: `harbour-events-${group}-${consumer}`.replace(/[^A-Za-z0-9:_.-]/g, '_'),
    });
    watchConnection(this.connection, keys.logger, { group, consumer });
    this.done = this.run();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true;
      this.stopSignal.abort();
      // Interrupts a blocking read (or a command waiting for Redis to come back); a running handler is left to finish.
      const disconnected = this.handling ? undefined : disconnect(this.connection);
      if (!(await settlesWithin(this.done, this.options.drainTimeoutMs))) {
        this.abandoned = true;
        this.keys.logger.warn({ group: this.group, consumer: this.consumer }, 'Handler still running at close; its event stays pending');
      }
      await (disconnected ?? disconnect(this.connection));
      this.markReady();
      this.onClosed();
    })();
    return this.closing;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5_000 });
    while (!this.stopped) {
      try {
        if (!this.groupExists) await this.createGroup();
        if (Date.now() >= this.nextReclaimAt) await this.reclaim();
        if (!this.stopped) await this.readNew();
        backoff.reset();
      } catch (error) {
        if (this.stopped) break;
        // The group is gone if Redis restarted without its data: create it again.
        if (isNoGroupError(error)) this.groupExists = false;
        // A timed-out command means a silently dead socket (ioredis sees no close): make a new one.
        if (isTimeoutError(error)) this.connection.disconnect(true);
        this.keys.logger.warn({ err: error, group: this.group, consumer: this.consumer }, 'Event bus read failed; retrying');
        await sleep(backoff.next(), this.stopSignal.signal);
      }
    }
  }

  private async createGroup(): Promise<void> {
    try {
      await this.connection.call('XGROUP', 'CREATE', this.keys.stream, this.group, this.options.startAt, 'MKSTREAM');
    } catch (error) {
      if (!isBusyGroupError(error)) throw error;
    }
    this.groupExists = true;
    this.markReady();
  }

  private async readNew(): Promise<void> {
    const block = Math.max(1, Math.min(this.options.blockMs, this.nextReclaimAt - Date.now()));
    const reply = await this.connection.call(
      'XREADGROUP', 'GROUP', this.group, this.consumer, 'COUNT', this.options.batchSize, 'BLOCK', block, 'STREAMS', this.keys.stream, '>',
    );
    for (const entry of parseReadGroup(reply)) {
      if (this.stopped) return;
      await this.handle(entry, 1);
    }
  }

  /** Takes over entries pending longer than minIdleMs (failed, or their consumer died). */
  private async reclaim(): Promise<void> {
    const reply = await this.connection.call(
      'XAUTOCLAIM', this.keys.stream, this.group, this.consumer, this.options.minIdleMs, this.reclaimCursor, 'COUNT', this.options.batchSize,
    );
    const { cursor, entries, deleted } = parseAutoClaim(reply);
    // A cursor other than 0-0 means more may be waiting: scan on right away.
    this.reclaimCursor = cursor;
    this.nextReclaimAt = cursor === '0-0' ? Date.now() + this.reclaimEveryMs : 0;
    if (deleted.length) {
      this.keys.logger.error({ group: this.group, ids: deleted }, 'Pending events were trimmed from the stream before this group processed them');
    }
    if (!entries.length) return;
    const attempts = await this.deliveryCounts(entries);
    for (const entry of entries) {
      if (this.stopped) return;
      await this.handle(entry, attempts.get(entry.id) ?? 2);
    }
  }

  /** XAUTOCLAIM does not say how often an entry was delivered; XPENDING over the claimed range does. */
  private async deliveryCounts(entries: StreamEntry[]): Promise<Map<string, number>> {
    const reply = await this.connection.call(
      'XPENDING', this.keys.stream, this.group, entries[0]!.id, entries.at(-1)!.id, entries.length + 1000, this.consumer,
    );
    return parsePendingCounts(reply);
  }

  private async handle(entry: StreamEntry, attempt: number): Promise<void> {
    if (!entry.fields) {
      // Deleted under us (Redis 6.2 reports it so): nothing to deliver, nothing to keep pending.
      await this.connection.call('XACK', this.keys.stream, this.group, entry.id);
      return;
    }
    const raw = entry.fields[EVENT_FIELD] ?? '';
    const event = decodeEvent(raw);
    this.handling = true;
    try {
      await deliver({
        event,
        delivery: { group: this.group, consumer: this.consumer, attempt },
        handler: this.handler,
        maxDeliveries: this.options.maxDeliveries,
        logger: this.keys.logger,
        abandoned: () => this.abandoned,
        actions: {
          ack: async () => {
            await this.connection.call('XACK', this.keys.stream, this.group, entry.id);
          },
          deadLetter: (error) => this.deadLetter(entry.id, raw, attempt, error),
        },
      });
    } finally {
      this.handling = false;
    }
  }

  /** Copies the entry to the dead-letter stream and acknowledges it, atomically. */
  private async deadLetter(id: string, raw: string, deliveries: number, error: string): Promise<void> {
    const results = await this.connection
      .multi()
      .xadd(
        this.keys.dead, 'MAXLEN', '~', this.keys.maxLen, '*',
        EVENT_FIELD, raw, 'group', this.group, 'consumer', this.consumer, 'deliveries', String(deliveries),
        'error', error.slice(0, 1_000), 'deadAt', new Date().toISOString(), 'streamId', id,
      )
      .xack(this.keys.stream, this.group, id)
      .exec();
    const failure = results?.find(([err]) => err)?.[0];
    if (!results || failure) throw failure ?? new Error('Dead-letter transaction aborted');
  }
}
