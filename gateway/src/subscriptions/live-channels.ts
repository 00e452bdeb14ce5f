import type { Logger } from '@harbour/logger';
import { Redis } from 'ioredis';
import type { GatewayMetrics } from '../observability/metrics';
import { RedisOutage } from '../redis-outage';

/** A live-update message: `id` identifies the change, so a repeat is pushed once. */
export interface LiveMessage {
  id: string;
  [field: string]: unknown;
}

type Listener = (message: LiveMessage) => void;
/** Stops listening; `ready` settles once Redis has confirmed the channel's subscription (or `READY_WAIT_MS` passed). */
export type Listening = (() => void) & { ready: Promise<void> };
/**
 * How long `ready` waits for Redis to confirm a subscription. Redis away, a
 * subscription opens anyway (its current state read, its access checked) and
 * the listener's `onResume` catches it up when Redis is back.
 */
const READY_WAIT_MS = 1_000;
/** How often the subscriber connection is asked for a PING, and how long it has to answer before it is reconnected. */
const HEALTH_CHECK_MS = 5_000;
const HEALTH_TIMEOUT_MS = 2_000;
/** Called when Redis is back after an outage, with an id unique to that return: updates may have been missed meanwhile. */
type ResumeListener = (resumeId: string) => void;

/**
 * The Redis pub/sub channels this gateway listens on for its subscribers:
 * one subscriber connection, one Redis subscription per channel however many
 * sockets want it (released with the last one), and each message handed to
 * every local listener. Every gateway replica listens for its own sockets,
 * so a subscriber hears each update once, from the replica that holds it.
 *
 * Redis going away does not end any subscription: the connection retries
 * for ever, ioredis subscribes to every channel again when it is back, and
 * then every listener's `onResume` is told (after the new subscriptions are
 * in place), so a subscription that can re-read its current state does. A
 * connection that is open but never answers (a hung Redis, a dead link) is
 * noticed by a periodic PING and reconnected.
 */
export class LiveChannels {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Each channel's SUBSCRIBE, settled once Redis has answered it. */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly resumeListeners = new Map<Listener, ResumeListener>();
  private readonly outage: RedisOutage;
  private connectedOnce = false;
  private interrupted = false;
  private resumes = 0;
  private closing = false;
  private readonly healthCheck = setInterval(() => this.checkHealth(), HEALTH_CHECK_MS).unref();

  constructor(redisUrl: string, private readonly logger: Logger, metrics?: GatewayMetrics) {
    this.outage = new RedisOutage({ component: 'subscriptions', logger, metrics });
    // A subscriber connection keeps retrying forever: subscriptions recover on their own when Redis returns.
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber.on('error', (error) => this.outage.failed(error));
    this.subscriber.on('close', () => {
      if (!this.connectedOnce || this.interrupted || this.closing) return;
      this.interrupted = true;
      this.outage.failed(new Error('live updates: connection to Redis lost'));
    });
    this.subscriber.on('ready', () => this.ready());
    this.subscriber.on('message', (channel: string, text: string) => this.deliver(channel, text));
  }

  /**
   * Hands `listener` every message on `channel` from now on. A caller that
   * reads a state and then follows its changes awaits `ready` before reading,
   * so that no change falls between the read and the first message heard.
   */
  listen(channel: string, listener: Listener, onResume?: ResumeListener): Listening {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribed.set(
        channel,
        this.subscriber.subscribe(channel).then(
          () => undefined,
          (error: unknown) => this.logger.warn({ err: error, channel }, 'live updates: subscribe failed'),
        ),
      );
    }
    set.add(listener);
    if (onResume) this.resumeListeners.set(listener, onResume);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS).unref()));
    const ready = Promise.race([this.subscribed.get(channel), waited]).finally(() => clearTimeout(timer));
    const stop = () => {
      this.resumeListeners.delete(listener);
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
    return Object.assign(stop, { ready });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.healthCheck);
    this.listeners.clear();
    this.subscribed.clear();
    this.resumeListeners.clear();
    this.subscriber.disconnect();
  }

  private ready(): void {
    this.connectedOnce = true;
    this.outage.succeeded();
    if (!this.interrupted) return;
    this.interrupted = false;
    const resumeId = `resume:${++this.resumes}`;
    // ioredis resubscribes before this runs; a PING's answer means those subscriptions are in place.
    this.subscriber.ping().then(
      () => [...this.resumeListeners.values()].forEach((onResume) => onResume(resumeId)),
      (error: unknown) => this.outage.failed(error),
    );
  }

  private checkHealth(): void {
    // Connecting or reconnecting: ioredis is at it already.
    if (this.subscriber.status !== 'ready' && this.subscriber.status !== 'connect') return;
    const timeout = setTimeout(() => {
      if (this.closing) return;
      this.outage.failed(new Error('live updates: Redis did not answer a PING; reconnecting'));
      this.subscriber.disconnect(true);
    }, HEALTH_TIMEOUT_MS).unref();
    this.subscriber.ping().then(
      () => clearTimeout(timeout),
      () => clearTimeout(timeout),
    );
  }

  private deliver(channel: string, text: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
      if (typeof message.id !== 'string') throw new Error('no id');
    } catch {
      this.logger.warn({ channel }, 'live updates: malformed message ignored');
      return;
    }
    for (const listener of set) listener(message);
  }
}
