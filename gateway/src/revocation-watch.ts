import type { Logger } from '@harbour/logger';
import { InvalidatedMemory, pingWatchdog } from '@harbour/server';
import type { Redis } from 'ioredis';

/** Sessions remembered as not revoked at most (the oldest goes first). */
const SESSIONS = 20_000;
/** Longest a "not revoked" answer is served without asking Redis again, even with every invalidation arriving. */
const REMEMBER_MS = 60_000;
/** How often the watching connection is asked for a PING, and how long it has to answer before it is reconnected. */
const HEALTH_CHECK_MS = 5_000;
const HEALTH_TIMEOUT_MS = 2_000;
/** Redis's channel for client-side caching invalidations (RESP2 redirect mode). */
const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * Which sessions this gateway has seen not revoked, kept only while Redis
 * tells it of every revocation: Redis client-side caching in broadcasting
 * mode (`CLIENT TRACKING ON BCAST PREFIX <revoked-session prefix>`, its
 * invalidations redirected to this connection's own pub/sub) announces
 * every write of a revocation key, by any client, the moment Redis makes
 * it, so a session's entry is dropped before the logOut that revoked it has
 * even answered. The request then asks Redis and finds the revocation.
 *
 * Without this, every authenticated request made a Redis round trip to ask
 * (the largest single item in the gateway's CPU profile).
 *
 * - Nothing is remembered until tracking is on and the channel subscribed;
 *   losing the connection, or a PING unanswered, forgets everything and
 *   stops remembering until it is set up again; an answer read while any
 *   invalidation arrived is not remembered (InvalidatedMemory).
 * - A flush of the keyspace (an invalidation without keys) forgets everything.
 */
export class RevocationWatch {
  /** Sessions seen not revoked (the value is only a marker). */
  private readonly memory = new InvalidatedMemory<true>({ ttlMs: REMEMBER_MS, maxEntries: SESSIONS });
  private readonly connection: Redis;
  private readonly stopWatchdog: () => void;
  private closed = false;

  /**
   * `redis` is the gateway's connection (its options are copied for a
   * connection of the watch's own); `keyPrefix` starts every revocation key.
   */
  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.connection = redis.duplicate({
      autoResubscribe: false,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      lazyConnect: false,
      connectionName: `harbour-gateway-revocations-${process.pid}`,
    });
    this.connection.on('error', (error) => this.logger.debug({ err: error }, 'revocation watch: Redis error'));
    this.connection.on('close', () => this.memory.stopListening());
    this.connection.on('ready', () => void this.watch());
    // As buffers: the string form joins a message's keys with commas.
    this.connection.on('messageBuffer', (channel: Buffer, keys: Buffer | Buffer[] | null) => {
      if (channel.toString() === INVALIDATE_CHANNEL) this.invalidate(keys);
    });
    this.stopWatchdog = pingWatchdog(this.connection, {
      everyMs: HEALTH_CHECK_MS,
      timeoutMs: HEALTH_TIMEOUT_MS,
      onSilent: () => {
        this.logger.warn('revocation watch: Redis did not answer a PING; reconnecting');
        this.memory.stopListening();
      },
    });
  }

  /** True when `sessionId` was seen not revoked and no revocation has been announced since. */
  knowsNotRevoked(sessionId: string): boolean {
    return this.memory.get(sessionId) === true;
  }

  /** A mark to take before asking Redis: `remember` keeps the answer only if nothing was announced since. */
  get mark(): number {
    return this.memory.mark;
  }

  /** Redis said `sessionId` is not revoked, in an answer asked for at `mark`. */
  remember(sessionId: string, mark: number): void {
    this.memory.remember(sessionId, true, mark);
  }

  /** Is Redis telling this gateway of every revocation (so answers are remembered)? */
  get isWatching(): boolean {
    return this.memory.isListening;
  }

  close(): void {
    this.closed = true;
    this.stopWatchdog();
    this.memory.stopListening();
    this.connection.disconnect();
  }

  private async watch(): Promise<void> {
    try {
      const id = await this.connection.client('ID');
      await this.connection.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', this.keyPrefix);
      await this.connection.subscribe(INVALIDATE_CHANNEL);
      if (this.closed || this.connection.status !== 'ready') return;
      this.memory.listen();
    } catch (error) {
      // e.g. a Redis without client-side caching (before 6): every request asks Redis, as it would without the watch.
      this.logger.warn({ err: error }, 'revocation watch: could not turn on tracking; asking Redis on every request');
    }
  }

  private invalidate(keys: Buffer | Buffer[] | null): void {
    if (keys === null) return this.memory.forgetAll();
    for (const key of Array.isArray(keys) ? keys : [keys]) {
      // Tracking is on for the prefix only, so every key announced is a revocation key.
      const text = key.toString();
      if (text.startsWith(this.keyPrefix)) this.memory.forget(text.slice(this.keyPrefix.length));
    }
  }
}
