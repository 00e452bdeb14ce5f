/**
 * The updates waiting to be sent to one subscriber, bounded so that a slow
 * consumer cannot grow the gateway's memory. `coalesce`: only the newest
 * waiting update matters (each is completed into the current state anyway),
 * so a full queue keeps the newest. Otherwise a full queue ends the
 * subscription with an error: the client reconnects and catches up (e.g.
 * MyNotifications), which is better than silently losing updates.
 */
export class UpdateQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;
  private failure: Error | undefined;

  constructor(
    private readonly capacity: number,
    private readonly coalesce: boolean,
  ) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.coalesce) {
      this.items.length = 0;
      this.items.push(item);
      return;
    }
    if (this.items.length >= this.capacity) {
      this.failure = new SlowConsumerError(this.capacity);
      this.end();
      return;
    }
    this.items.push(item);
  }

  /** Drops every waiting update and makes `item` the last this queue gives (e.g. the subscriber lost access). */
  finish(item: T): void {
    if (this.done) return;
    this.items.length = 0;
    this.push(item);
    this.done = true;
  }

  end(): void {
    this.done = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.failure) return Promise.reject(this.failure);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

export class SlowConsumerError extends Error {
  override name = 'SlowConsumerError';
  constructor(readonly capacity: number) {
    super(`More than ${capacity} updates were waiting for this subscriber; reconnect and catch up.`);
  }
}
