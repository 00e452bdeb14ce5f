import type { Logger } from '@harbour/logger';
import { Redis } from 'ioredis';

/** A live-update message: `id` identifies the change, so a repeat is pushed once. */
export interface LiveMessage {
  id: string;
  [field: string]: unknown;
}

type Listener = (message: LiveMessage) => void;

/**
 * The Redis pub/sub channels this gateway listens on for its subscribers:
 * one subscriber connection, one Redis subscription per channel however many
 * sockets want it (released with the last one), and each message handed to
 * every local listener. Every gateway replica listens for its own sockets,
 * so a subscriber hears each update once, from the replica that holds it.
 */
export class LiveChannels {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(redisUrl: string, private readonly logger: Logger) {
    // A subscriber connection keeps retrying forever: subscriptions recover on their own when Redis returns.
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber.on('error', (error) => logger.warn({ err: error }, 'live updates: redis error'));
    this.subscriber.on('message', (channel: string, text: string) => this.deliver(channel, text));
  }

  listen(channel: string, listener: Listener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscriber.subscribe(channel).catch((error: unknown) => this.logger.warn({ err: error, channel }, 'live updates: subscribe failed'));
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
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
