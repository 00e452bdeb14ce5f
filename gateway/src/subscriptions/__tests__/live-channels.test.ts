import { createLogger } from '@harbour/logger';
import { REDIS_URL, uniqueRunId } from '@harbour/testing';
import { Redis } from 'ioredis';
import { LiveChannels, type LiveMessage } from '../live-channels';

/**
 * A subscription reads a state (or checks access) and then follows its
 * changes: `ready` is what makes that safe. Once it settles, a message
 * published at once is heard, on a new channel and on one another listener
 * already holds; against the real Redis.
 */
const prefix = `hbt:${uniqueRunId()}:live:`;
let channels: LiveChannels;
let publisher: Redis;

beforeAll(() => {
  channels = new LiveChannels(REDIS_URL, createLogger('live-channels-test', 'silent'));
  publisher = new Redis(REDIS_URL);
});

afterAll(async () => {
  await channels.close();
  publisher.disconnect();
});

function collect(channel: string) {
  const heard: LiveMessage[] = [];
  const listening = channels.listen(channel, (message) => heard.push(message));
  return { heard, listening };
}

async function heardWithin(heard: LiveMessage[], count: number, ms = 2_000) {
  const deadline = Date.now() + ms;
  while (heard.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return heard.map((message) => message.id);
}

it('hears a message published as soon as ready settles, on every one of many new channels', async () => {
  const listeners = Array.from({ length: 50 }, (_, i) => ({ channel: `${prefix}fresh:${i}`, ...collect(`${prefix}fresh:${i}`) }));
  await Promise.all(
    listeners.map(async ({ channel, listening }) => {
      await listening.ready;
      // Redis counts the subscribers a PUBLISH reached: the subscription is in place when ready says so.
      expect(await publisher.publish(channel, JSON.stringify({ id: 'first' }))).toBe(1);
    }),
  );
  for (const { heard } of listeners) expect(await heardWithin(heard, 1)).toEqual(['first']);
  for (const { listening } of listeners) listening();
});

it('a second listener on a held channel is ready at once and hears what follows', async () => {
  const channel = `${prefix}shared`;
  const first = collect(channel);
  await first.listening.ready;
  const second = collect(channel);
  await second.listening.ready;
  await publisher.publish(channel, JSON.stringify({ id: 'after-both' }));
  expect(await heardWithin(second.heard, 1)).toEqual(['after-both']);
  expect(await heardWithin(first.heard, 1)).toEqual(['after-both']);
  // The first leaving does not end the second's subscription.
  first.listening();
  await publisher.publish(channel, JSON.stringify({ id: 'after-first-left' }));
  expect(await heardWithin(second.heard, 2)).toEqual(['after-both', 'after-first-left']);
  second.listening();
  // The last one leaving unsubscribes: Redis reaches nobody.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await publisher.publish(channel, JSON.stringify({ id: 'nobody' }))).toBe(0);
});

it('listening again after the last listener left subscribes again', async () => {
  const channel = `${prefix}again`;
  const once = collect(channel);
  await once.listening.ready;
  once.listening();
  const again = collect(channel);
  await again.listening.ready;
  expect(await publisher.publish(channel, JSON.stringify({ id: 'back' }))).toBe(1);
  expect(await heardWithin(again.heard, 1)).toEqual(['back']);
  again.listening();
});
