/**
 * The event bus inside one process, with the Redis driver's semantics
 * (groups, pending entries, reclaim after minIdleMs, dead letters), for
 * single-process runs and tests. Events are kept as JSON text, so handlers
 * get copies, as they would from Redis.
 */
import { createLogger, type Logger } from '@harbour/logger';
import type { DomainEvent } from '../definitions/envelope';
import { BusClosedError } from '../errors';
import { Doorbell, settlesWithin } from '../internal/async';
import { deliver } from './deliver';
import { decodeEvent } from './codec';
import {
  subscribeOptions,
  type BusCommonOptions,
  type DeadLetter,
  type EventBus,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from './types';

export interface InMemoryBusOptions extends BusCommonOptions {
  /** Events retained for groups created later with startAt `0` (default 100,000). */
  maxLen?: number;
}

interface Entry {
  seq: number;
  raw: string;
}

interface Pending {
  entry: Entry;
  consumer: string;
  deliveredAt: number;
  deliveries: number;
}

interface Group {
  /** Sequence number of the next event never handed out to this group. */
  next: number;
  /** Handed out, not yet acknowledged; Map order is sequence order. */
  pending: Map<number, Pending>;
}

type Take = { entry: Entry; deliveries: number } | { waitMs: number };

export class InMemoryBus implements EventBus {
  private readonly log: Entry[] = [];
  private nextSeq = 1;
  private readonly groups = new Map<string, Group>();
  private readonly subscriptions = new Set<MemorySubscription>();
  private readonly dead: DeadLetter[] = [];
  private readonly maxLen: number;
  readonly logger: Logger;
  private closed = false;

  constructor(options: InMemoryBusOptions = {}) {
    this.maxLen = options.maxLen ?? 100_000;
    this.logger = options.logger ?? createLogger('events');
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.closed) throw new BusClosedError();
    for (const event of events) this.log.push({ seq: this.nextSeq++, raw: JSON.stringify(event) });
    if (this.log.length > this.maxLen) this.log.splice(0, this.log.length - this.maxLen);
    for (const subscription of this.subscriptions) subscription.bell.ring();
  }

  subscribe(group: string, consumer: string, handler: EventHandler, options?: SubscribeOptions): Subscription {
    if (this.closed) throw new BusClosedError();
    const settings = subscribeOptions(options);
    if (!this.groups.has(group)) {
      this.groups.set(group, { next: settings.startAt === '$' ? this.nextSeq : (this.log[0]?.seq ?? this.nextSeq), pending: new Map() });
    }
    const subscription = new MemorySubscription(this, group, consumer, handler, settings);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  /** Events groups gave up on, oldest first. */
  async deadLetters(): Promise<DeadLetter[]> {
    return this.dead.map((letter) => ({ ...letter }));
  }

  /** @internal The next event for `consumer`: a stale pending one first (as XAUTOCLAIM), else a new one. */
  take(groupName: string, consumer: string, minIdleMs: number): Take {
    const group = this.groups.get(groupName)!;
    const now = Date.now();
    let soonest = Infinity;
    for (const pending of group.pending.values()) {
      const due = pending.deliveredAt + minIdleMs;
      if (due <= now) {
        Object.assign(pending, { consumer, deliveredAt: now, deliveries: pending.deliveries + 1 });
        return { entry: pending.entry, deliveries: pending.deliveries };
      }
      soonest = Math.min(soonest, due);
    }
    const first = this.log[0];
    if (first && group.next < this.nextSeq) {
      const entry = this.log[Math.max(0, group.next - first.seq)]!;
      group.next = entry.seq + 1;
      group.pending.set(entry.seq, { entry, consumer, deliveredAt: now, deliveries: 1 });
      return { entry, deliveries: 1 };
    }
    return { waitMs: soonest - now };
  }

  /** @internal */
  ack(groupName: string, seq: number): void {
    this.groups.get(groupName)?.pending.delete(seq);
  }

  /** @internal */
  deadLetter(letter: DeadLetter, seq: number): void {
    this.dead.push(letter);
    this.ack(letter.group, seq);
  }

  /** @internal */
  forget(subscription: MemorySubscription): void {
    this.subscriptions.delete(subscription);
  }
}

class MemorySubscription implements Subscription {
  readonly bell = new Doorbell();
  readonly ready = Promise.resolve();
  private stopped = false;
  private abandoned = false;
  private closing?: Promise<void>;
  private readonly done: Promise<void>;

  constructor(
    private readonly bus: InMemoryBus,
    readonly group: string,
    readonly consumer: string,
    private readonly handler: EventHandler,
    private readonly options: Required<SubscribeOptions>,
  ) {
    this.done = this.run();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true;
      this.bell.ring();
      if (!(await settlesWithin(this.done, this.options.drainTimeoutMs))) this.abandoned = true;
      this.bus.forget(this);
    })();
    return this.closing;
  }

  private async run(): Promise<void> {
    // Start on a later turn, as a real subscription would: the caller gets its Subscription first.
    await new Promise(setImmediate);
    let sinceYield = 0;
    while (!this.stopped) {
      const next = this.bus.take(this.group, this.consumer, this.options.minIdleMs);
      if ('waitMs' in next) {
        await this.bell.wait(Math.min(next.waitMs, this.options.blockMs));
        continue;
      }
      const { entry, deliveries } = next;
      const delivery = { group: this.group, consumer: this.consumer, attempt: deliveries };
      const event = decodeEvent(entry.raw);
      try {
        await deliver({
          event,
          delivery,
          handler: this.handler,
          maxDeliveries: this.options.maxDeliveries,
          logger: this.bus.logger,
          abandoned: () => this.abandoned,
          actions: {
            ack: async () => this.bus.ack(this.group, entry.seq),
            deadLetter: async (error) =>
              this.bus.deadLetter(
                { event, raw: entry.raw, group: this.group, consumer: this.consumer, deliveries, error, deadAt: new Date().toISOString() },
                entry.seq,
              ),
          },
        });
      } catch (error) {
        this.bus.logger.error({ err: error, group: this.group }, 'In-memory delivery failed');
      }
      // Let timers and I/O run between events even when handlers never really wait.
      if (++sinceYield % 64 === 0) await new Promise(setImmediate);
    }
  }
}
