/**
 * The event bus on Redis Streams: one stream `<prefix>events`, one consumer
 * group per consuming service, dead letters in `<prefix>events:dead`.
 */
import { commonConfig, readVar, url } from '@harbour/config';
import { createLogger, type Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { DomainEvent } from '../../definitions/envelope';
import { BusClosedError, BusUnavailableError } from '../../errors';
import { errorMessage } from '../../internal/async';
import { decodeEvent } from '../codec';
import { subscribeOptions, type BusCommonOptions, type DeadLetter, type EventBus, type EventHandler, type SubscribeOptions, type Subscription } from '../types';
import { connect, disconnect, watchConnection, type RedisTarget } from './connection';
import { parseRange } from './replies';
import { EVENT_FIELD, RedisSubscription, type StreamKeys } from './subscription';

export interface RedisStreamsBusOptions extends BusCommonOptions {
  redis: RedisTarget;
  /** Start of every key (REDIS_KEY_PREFIX, e.g. `harbour:`); required so test runs and tenants never share a stream. */
  prefix: string;
  /**
   * Approximate number of events the stream keeps (MAXLEN ~). A group that
   * falls further behind than this loses events, so keep it generous
   * (default 1,000,000: about a few hundred MB).
   */
  maxLen?: number;
  /** How long `publish` waits for a connection that is being established (default 2 s). */
  publishTimeoutMs?: number;
}

export class RedisStreamsBus implements EventBus {
  readonly streamKey: string;
  readonly deadLetterKey: string;
  private readonly keys: StreamKeys;
  private readonly publisher: Redis;
  private readonly publishTimeoutMs: number;
  private readonly logger: Logger;
  private readonly subscriptions = new Set<RedisSubscription>();
  private closed = false;
  private connecting?: Promise<void>;

  constructor(options: RedisStreamsBusOptions) {
    if (!options.prefix) throw new TypeError('RedisStreamsBus needs a key prefix (REDIS_KEY_PREFIX).');
    this.streamKey = `${options.prefix}events`;
    this.deadLetterKey = `${options.prefix}events:dead`;
    this.logger = options.logger ?? createLogger('events');
    this.publishTimeoutMs = options.publishTimeoutMs ?? 2_000;
    this.keys = { target: options.redis, stream: this.streamKey, dead: this.deadLetterKey, maxLen: options.maxLen ?? 1_000_000, logger: this.logger };
    this.publisher = connect(options.redis, {
      lazyConnect: true,
      // While Redis is down, fail at once rather than queue: the outbox relay keeps the events and retries.
      enableOfflineQueue: false,
      // A MULTI cut off mid-way must fail, not be replayed half on the next connection.
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.publishTimeoutMs,
      connectionName: 'harbour-events-publisher',
    });
    watchConnection(this.publisher, this.logger, { role: 'publisher' });
  }

  /** Appends the events in one MULTI: all or none of a batch is on the stream. */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.closed) throw new BusClosedError();
    if (events.length === 0) return;
    await this.whenConnected();
    const transaction = this.publisher.multi();
    for (const event of events) {
      transaction.xadd(this.streamKey, 'MAXLEN', '~', this.keys.maxLen, '*', 'type', event.type, EVENT_FIELD, JSON.stringify(event));
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      throw new BusUnavailableError(`Could not publish to Redis: ${errorMessage(error)}`, { cause: error });
    }
    const failure = results?.find(([err]) => err)?.[0];
    if (!results || failure) throw new BusUnavailableError(`Redis refused the events: ${failure?.message ?? 'transaction aborted'}`, { cause: failure });
  }

  subscribe(group: string, consumer: string, handler: EventHandler, options?: SubscribeOptions): Subscription {
    if (this.closed) throw new BusClosedError();
    if (!group || !consumer) throw new TypeError('A subscription needs a group and a consumer name.');
    const subscription = new RedisSubscription(this.keys, group, consumer, handler, subscribeOptions(options), () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.subscriptions.clear();
    await disconnect(this.publisher);
  }

  /** The most recent dead letters, oldest first (for operators and tests). */
  async deadLetters(count = 100): Promise<DeadLetter[]> {
    if (this.closed) throw new BusClosedError();
    await this.whenConnected();
    const entries = parseRange(await this.publisher.call('XREVRANGE', this.deadLetterKey, '+', '-', 'COUNT', count)).reverse();
    return entries.map(({ fields }) => {
      const raw = fields?.[EVENT_FIELD] ?? '';
      return {
        event: decodeEvent(raw),
        raw,
        group: fields?.group ?? '',
        consumer: fields?.consumer ?? '',
        deliveries: Number(fields?.deliveries ?? 0),
        error: fields?.error ?? '',
        deadAt: fields?.deadAt ?? '',
      };
    });
  }

  /**
   * Resolves when the publisher is connected. While Redis is known to be
   * down (reconnecting) it rejects at once; a connection being made gets up
   * to publishTimeoutMs.
   */
  private async whenConnected(): Promise<void> {
    const status = this.publisher.status;
    if (status === 'ready') return;
    if (status === 'reconnecting' || status === 'end' || status === 'close') {
      throw new BusUnavailableError(`Redis is unreachable (connection ${status}).`);
    }
    if (status === 'wait') this.publisher.connect().catch(() => undefined);
    // One wait shared by concurrent publishers (one listener, however many callers).
    this.connecting ??= new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.publisher.off('ready', onReady);
        reject(new BusUnavailableError(`Redis did not accept a connection within ${this.publishTimeoutMs} ms.`));
      }, this.publishTimeoutMs);
      this.publisher.once('ready', onReady);
    }).finally(() => (this.connecting = undefined));
    await this.connecting;
  }
}

/**
 * The bus as every service configures it: the Redis at `EVENT_BUS_REDIS_URL`
 * (default `REDIS_URL`), keys under `REDIS_KEY_PREFIX`.
 */
export function redisStreamsBusFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: Omit<RedisStreamsBusOptions, 'redis' | 'prefix'> = {},
): RedisStreamsBus {
  const config = commonConfig(env);
  const redis = readVar(env, 'EVENT_BUS_REDIS_URL', url(['redis:', 'rediss:']), config.redisUrl);
  return new RedisStreamsBus({ ...options, redis, prefix: config.redisKeyPrefix });
}
