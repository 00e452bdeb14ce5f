import type { Redis } from 'ioredis';

export interface InvalidatedMemoryOptions {
  /** Longest an answer is served (0: nothing is remembered). */
  ttlMs: number;
  /** Answers remembered at most; the oldest goes first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * Answers remembered across requests only while an invalidation channel
 * tells this process of every change: the one mechanism behind the
 * gateway's revocation watch and the payment subgraph's membership cache.
 *
 * - Nothing is remembered or served until `listen()` (the channel is
 *   subscribed); `stopListening()` (it is lost) forgets everything, and so
 *   does `listen()` again, since changes may have been missed in between.
 * - An answer read from its owner is kept only if nothing was invalidated
 *   since the `mark` taken before asking: it may predate the change.
 */
export class InvalidatedMemory<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  /** Bumped by every invalidation and every change of the channel's state. */
  private epoch = 0;
  private listening = false;
  private readonly now: () => number;

  constructor(private readonly options: InvalidatedMemoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The remembered answer for `key`, if still valid. */
  get(key: string): V | undefined {
    if (!this.remembering) return undefined;
    const known = this.entries.get(key);
    if (!known) return undefined;
    if (known.expiresAt > this.now()) return known.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Take before asking the owner; pass to `remember`. */
  get mark(): number {
    return this.epoch;
  }

  /** The owner's answer for `key`, asked for at `mark`: kept unless something was invalidated since. */
  remember(key: string, value: V, mark: number): void {
    if (!this.remembering || mark !== this.epoch) return;
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
  }

  /** The owner says `key` changed. */
  forget(key: string): void {
    this.epoch += 1;
    this.entries.delete(key);
  }

  /** Forgets every answer (a change not understood, a flush). */
  forgetAll(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  /** The invalidation channel is subscribed (again): answers may be remembered from now on. */
  listen(): void {
    this.forgetAll();
    this.listening = true;
  }

  /** The channel is lost: a change could be missed, so nothing is remembered or served until it is back. */
  stopListening(): void {
    this.listening = false;
    this.forgetAll();
  }

  get isListening(): boolean {
    return this.listening;
  }

  get size(): number {
    return this.entries.size;
  }

  private get remembering(): boolean {
    return this.listening && this.options.ttlMs > 0;
  }
}

/**
 * Asks a ready connection for a PING every `everyMs`; one not answered
 * within `timeoutMs` is a connection open but silent (a hung Redis, a dead
 * link): `onSilent` runs, then the connection is dropped and ioredis
 * reconnects. Returns the stop function.
 */
export function pingWatchdog(connection: Redis, options: { everyMs: number; timeoutMs: number; onSilent: () => void }): () => void {
  const timer = setInterval(() => {
    if (connection.status !== 'ready') return;
    const timeout = setTimeout(() => {
      options.onSilent();
      connection.disconnect(true);
    }, options.timeoutMs);
    connection.ping().then(
      () => clearTimeout(timeout),
      () => clearTimeout(timeout),
    );
  }, options.everyMs).unref();
  return () => clearInterval(timer);
}
