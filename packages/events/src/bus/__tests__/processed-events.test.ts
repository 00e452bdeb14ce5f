import { createTimelineStore } from '@harbour/prisma/timeline';
import { newEventId } from '../../definitions/envelope';
import { createTestDatabase } from '../../__tests__/support/resources';
import { deferred } from '../../__tests__/support/waiting';
import { inMemoryProcessedEvents, sqlProcessedEvents } from '../processed-events';

type TimelineStore = ReturnType<typeof createTimelineStore>;

describe('sqlProcessedEvents (processed_events in a real store)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase<TimelineStore>>>;
  let other: TimelineStore;

  beforeAll(async () => {
    database = await createTestDatabase('timeline', (url) => createTimelineStore(url));
    other = createTimelineStore(database.url);
  });

  afterAll(async () => {
    await other.$disconnect();
    await database.drop();
  });

  const entry = (eventId: string) => ({
    id: `tle_${eventId.slice(-20)}`,
    userId: 'usr_1',
    kind: 'PAYMENT_SENT',
    params: { amountMinor: '1250' },
    sourceEventId: eventId,
    occurredAt: new Date(),
  });

  test('applies an event once; a redelivery is skipped', async () => {
    const processed = sqlProcessedEvents(database.client, 'timeline');
    const eventId = newEventId();
    const first = await processed.applyOnce(eventId, async (tx) => (await tx.timelineEntry.create({ data: entry(eventId) })).id);
    const again = await processed.applyOnce(eventId, async (tx) => (await tx.timelineEntry.create({ data: entry(eventId) })).id);
    expect(first).toEqual({ applied: true, result: entry(eventId).id });
    expect(again).toEqual({ applied: false });
    expect(await database.client.timelineEntry.count({ where: { sourceEventId: eventId } })).toBe(1);
    const row = await database.client.processedEvent.findUniqueOrThrow({ where: { consumer_eventId: { consumer: 'timeline', eventId } } });
    expect(Math.abs(row.processedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('each consumer has its own record of what it applied', async () => {
    const eventId = newEventId();
    const a = await sqlProcessedEvents(database.client, 'timeline').applyOnce(eventId, async () => 'a');
    const b = await sqlProcessedEvents(database.client, 'timeline-search').applyOnce(eventId, async () => 'b');
    expect([a, b]).toEqual([{ applied: true, result: 'a' }, { applied: true, result: 'b' }]);
  });

  test('when applying fails, neither the effect nor the mark is kept, so a redelivery applies it', async () => {
    const processed = sqlProcessedEvents(database.client, 'timeline');
    const eventId = newEventId();
    await expect(
      processed.applyOnce(eventId, async (tx) => {
        await tx.timelineEntry.create({ data: entry(eventId) });
        throw new Error('crashed half-way');
      }),
    ).rejects.toThrow('crashed half-way');
    expect(await database.client.processedEvent.count({ where: { eventId } })).toBe(0);
    expect(await database.client.timelineEntry.count({ where: { sourceEventId: eventId } })).toBe(0);
    const retry = await processed.applyOnce(eventId, async (tx) => (await tx.timelineEntry.create({ data: entry(eventId) })).id);
    expect(retry.applied).toBe(true);
  });

  test('two consumers handling the same event at once: one applies it, the other waits and skips', async () => {
    const eventId = newEventId();
    const inside = deferred();
    const release = deferred();
    const first = sqlProcessedEvents(database.client, 'timeline').applyOnce(eventId, async (tx) => {
      await tx.timelineEntry.create({ data: entry(eventId) });
      inside.resolve();
      await release.promise;
      return 'first';
    });
    await inside.promise;
    let secondSettled = false;
    const second = sqlProcessedEvents(other, 'timeline')
      .applyOnce(eventId, async (tx) => {
        await tx.timelineEntry.create({ data: entry(eventId) });
        return 'second';
      })
      .finally(() => (secondSettled = true));
    // The second blocks on the first's uncommitted row rather than applying alongside it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondSettled).toBe(false);
    release.resolve();
    expect(await first).toEqual({ applied: true, result: 'first' });
    expect(await second).toEqual({ applied: false });
    expect(await database.client.timelineEntry.count({ where: { sourceEventId: eventId } })).toBe(1);
  });

  test('an event recorded under several ids is skipped when any of them was recorded, and records them all', async () => {
    const processed = sqlProcessedEvents(database.client, 'timeline');
    const [fact, v2, v1] = [newEventId(), newEventId(), newEventId()];
    // An older consumer recorded the version 1 by its own id.
    expect(await processed.applyOnce(v1, async () => 'old')).toEqual({ applied: true, result: 'old' });
    expect(await processed.applyOnce([fact, v2, v1], async () => 'again')).toEqual({ applied: false });
    // Applied under all its ids: a later delivery of any of them is a duplicate.
    const [fact2, other2, v12] = [newEventId(), newEventId(), newEventId()];
    expect(await processed.applyOnce([fact2, other2, v12], async () => 'new')).toEqual({ applied: true, result: 'new' });
    for (const id of [fact2, other2, v12]) expect(await processed.applyOnce(id, async () => 'dup')).toEqual({ applied: false });
    await expect(processed.applyOnce([], async () => 1)).rejects.toThrow(RangeError);
  });

  test('refuses keys the table cannot hold instead of truncating them', () => {
    expect(() => sqlProcessedEvents(database.client, 'x'.repeat(65))).toThrow(RangeError);
    return expect(sqlProcessedEvents(database.client, 'timeline').applyOnce('e'.repeat(41), async () => 1)).rejects.toThrow(RangeError);
  });
});

describe('inMemoryProcessedEvents', () => {
  test('applies once, retries after a failure, and serialises concurrent attempts', async () => {
    const processed = inMemoryProcessedEvents('test');
    await expect(processed.applyOnce('evt_a', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(processed.has('evt_a')).toBe(false);
    let runs = 0;
    const apply = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return runs;
    };
    const results = await Promise.all([processed.applyOnce('evt_a', apply), processed.applyOnce('evt_a', apply)]);
    expect(results).toEqual([{ applied: true, result: 1 }, { applied: false }]);
    expect(runs).toBe(1);
    expect(processed.has('evt_a')).toBe(true);
  });

  test('several ids: any one applied means applied; all are recorded', async () => {
    const processed = inMemoryProcessedEvents('test');
    expect(await processed.applyOnce('evt_v1', async () => 1)).toEqual({ applied: true, result: 1 });
    expect(await processed.applyOnce(['fact', 'evt_v2', 'evt_v1'], async () => 2)).toEqual({ applied: false });
    expect(processed.has('fact')).toBe(true);
    expect(await processed.applyOnce(['fact2', 'evt_x'], async () => 3)).toEqual({ applied: true, result: 3 });
    expect(await processed.applyOnce('evt_x', async () => 4)).toEqual({ applied: false });
  });
});
