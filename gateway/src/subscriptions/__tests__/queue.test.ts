import { SlowConsumerError, UpdateQueue } from '../queue';

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push((await iterator.next()).value as T);
  return items;
}

describe('UpdateQueue: the bounded buffer between an update and a slow subscriber', () => {
  it('hands updates over in order, including to a reader already waiting', async () => {
    const queue = new UpdateQueue<number>(10, false);
    const iterator = queue[Symbol.asyncIterator]();
    const waiting = iterator.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect((await waiting).value).toBe(1);
    expect(await take(iterator, 2)).toEqual([2, 3]);
  });

  it('coalescing: a full backlog keeps only the newest update (each is the current state anyway)', async () => {
    const queue = new UpdateQueue<number>(2, true);
    for (let i = 1; i <= 1_000; i++) queue.push(i);
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1_000);
    queue.end();
    expect((await iterator.next()).done).toBe(true);
  });

  it('not coalescing: more than its capacity waiting ends the subscription with an error, never grows', async () => {
    const queue = new UpdateQueue<number>(3, false);
    for (let i = 1; i <= 10; i++) queue.push(i);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toEqual([1, 2, 3]);
    await expect(iterator.next()).rejects.toBeInstanceOf(SlowConsumerError);
  });

  it('return() ends it for the reader', async () => {
    const queue = new UpdateQueue<number>(3, false);
    const iterator = queue[Symbol.asyncIterator]();
    await iterator.return!();
    queue.push(1);
    expect((await iterator.next()).done).toBe(true);
  });
});
