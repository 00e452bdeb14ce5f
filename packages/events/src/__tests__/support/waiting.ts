/** Event-driven waits for tests: wait for the thing itself, bounded generously, instead of sleeping. */

/** Collects items and lets a test wait until it has enough of them. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.items.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  async waitFor(count: number, timeoutMs = 20_000): Promise<T[]> {
    if (this.items.length < count) {
      await withTimeout(
        new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
        timeoutMs,
        () => `waited ${timeoutMs} ms for ${count} items, have ${this.items.length}`,
      );
    }
    return this.items;
  }
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out: ${describe()}`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true; for conditions nothing signals (database rows, counters). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
