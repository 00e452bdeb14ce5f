/**
 * What every EventBus driver must do, run against each of them
 * (memory.test.ts, redis.test.ts). Timings are shortened through the
 * subscribe options; waits are for the events themselves.
 */
import { BusClosedError } from '../../errors';
import type { DomainEvent } from '../../definitions/envelope';
import { transferEvents } from '../../__tests__/support/events';
import { deferred, eventually, Recorder } from '../../__tests__/support/waiting';
import type { DeadLetter, Delivery, EventBus, SubscribeOptions } from '../types';

export interface BusHarness {
  bus: EventBus;
  deadLetters(): Promise<DeadLetter[]>;
  cleanup(): Promise<void>;
}

const fast: SubscribeOptions = { minIdleMs: 300, blockMs: 100, drainTimeoutMs: 5_000 };

/** Long enough for a wrongly pending event to be reclaimed and show up again (several minIdleMs). */
const QUIET_MS = 1_200;
const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

const ids = (events: readonly DomainEvent[]) => events.map((event) => event.id);

export function describeBusContract(driver: string, createHarness: () => Promise<BusHarness>): void {
  describe(`${driver}: EventBus contract`, () => {
    let harness: BusHarness;
    let bus: EventBus;

    beforeEach(async () => {
      harness = await createHarness();
      bus = harness.bus;
    });

    afterEach(async () => {
      await bus.close();
      await harness.cleanup();
    });

    test('delivers events intact and in publish order', async () => {
      const received = new Recorder<DomainEvent>();
      const subscription = bus.subscribe('orders', 'c1', async (event) => received.push(event), fast);
      await subscription.ready;
      const events = transferEvents(30, 3);
      await bus.publish(events.slice(0, 10));
      await bus.publish(events.slice(10));
      expect(ids(await received.waitFor(30))).toEqual(ids(events));
      expect(received.items[7]).toEqual(events[7]);
    });

    test('every group gets every event', async () => {
      const groups = ['notification', 'timeline', 'social'].map((group) => {
        const received = new Recorder<string>();
        bus.subscribe(group, `${group}-1`, async (event) => received.push(event.id), fast);
        return received;
      });
      const events = transferEvents(12);
      await bus.publish(events);
      for (const received of groups) expect(await received.waitFor(12)).toEqual(ids(events));
    });

    test('within a group each event goes to one consumer', async () => {
      const received = new Recorder<{ id: string; consumer: string }>();
      const handler = async (event: DomainEvent, delivery: Delivery) => {
        // A little work, so both consumers are busy at once.
        await new Promise((resolve) => setTimeout(resolve, 2));
        received.push({ id: event.id, consumer: delivery.consumer });
      };
      const a = bus.subscribe('workers', 'a', handler, { ...fast, batchSize: 4 });
      const b = bus.subscribe('workers', 'b', handler, { ...fast, batchSize: 4 });
      await Promise.all([a.ready, b.ready]);
      const events = transferEvents(60);
      await bus.publish(events);
      await received.waitFor(60);
      await quiet();
      const seen = received.items.map((item) => item.id);
      expect(seen).toHaveLength(60);
      expect(new Set(seen)).toEqual(new Set(ids(events)));
    });

    test('redelivers an event whose handler failed', async () => {
      const events = transferEvents(3);
      const failing = events[1]!.id;
      const attempts: Delivery[] = [];
      const handled = new Recorder<string>();
      bus.subscribe(
        'flaky',
        'c1',
        async (event, delivery) => {
          if (event.id === failing) {
            attempts.push(delivery);
            if (delivery.attempt === 1) throw new Error('database briefly down');
          }
          handled.push(event.id);
        },
        fast,
      );
      await bus.publish(events);
      await handled.waitFor(3);
      expect(new Set(handled.items)).toEqual(new Set(ids(events)));
      expect(attempts.map((delivery) => delivery.attempt)).toEqual([1, 2]);
      await quiet();
      expect(handled.items).toHaveLength(3);
    });

    test('another consumer of the group takes over what a dead consumer left pending', async () => {
      const [event] = transferEvents(1);
      const gotIt = deferred();
      const never = deferred();
      const dying = bus.subscribe(
        'reclaim',
        'dying',
        async () => {
          gotIt.resolve();
          await never.promise;
        },
        { ...fast, drainTimeoutMs: 100 },
      );
      await bus.publish([event!]);
      await gotIt.promise;
      // close() gives up on the hanging handler after drainTimeoutMs: the event stays pending, unacknowledged.
      await dying.close();

      const taken = new Recorder<Delivery>();
      bus.subscribe('reclaim', 'survivor', async (received, delivery) => {
        if (received.id === event!.id) taken.push(delivery);
      }, fast);
      const [delivery] = await taken.waitFor(1);
      expect(delivery).toEqual({ group: 'reclaim', consumer: 'survivor', attempt: 2 });
      never.resolve();
      await quiet();
      expect(taken.items).toHaveLength(1);
    });

    test('dead-letters an event after maxDeliveries failures and goes on with the rest', async () => {
      const events = transferEvents(3);
      const poison = events[0]!.id;
      const poisonAttempts: number[] = [];
      const handled = new Recorder<string>();
      bus.subscribe(
        'strict',
        'c1',
        async (event, delivery) => {
          if (event.id === poison) {
            poisonAttempts.push(delivery.attempt);
            throw new Error('cannot apply');
          }
          handled.push(event.id);
        },
        { ...fast, maxDeliveries: 3 },
      );
      await bus.publish(events);
      await handled.waitFor(2);
      let dead: DeadLetter[] = [];
      await eventually(async () => (dead = await harness.deadLetters()).length > 0, 20_000, 'a dead letter');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ group: 'strict', consumer: 'c1', deliveries: 3, error: 'cannot apply' });
      expect(dead[0]!.event).toEqual(events[0]);
      expect(poisonAttempts).toEqual([1, 2, 3]);
      await quiet();
      expect(poisonAttempts).toEqual([1, 2, 3]);
    });

    test('a new group starts at the oldest event with startAt 0, at the next one with $', async () => {
      const before = transferEvents(3);
      await bus.publish(before);
      const fromStart = new Recorder<string>();
      const fromNow = new Recorder<string>();
      const a = bus.subscribe('replay', 'c1', async (event) => fromStart.push(event.id), { ...fast, startAt: '0' });
      const b = bus.subscribe('live', 'c1', async (event) => fromNow.push(event.id), { ...fast, startAt: '$' });
      await Promise.all([a.ready, b.ready]);
      const after = transferEvents(2);
      await bus.publish(after);
      expect(await fromStart.waitFor(5)).toEqual(ids([...before, ...after]));
      expect(await fromNow.waitFor(2)).toEqual(ids(after));
    });

    test('close lets the handler in progress finish and acknowledge, then delivers no more', async () => {
      const events = transferEvents(2);
      const started = deferred();
      const release = deferred();
      const first = new Recorder<string>();
      const subscription = bus.subscribe(
        'closing',
        'c1',
        async (event) => {
          started.resolve();
          await release.promise;
          first.push(event.id);
        },
        fast,
      );
      await bus.publish(events);
      await started.promise;
      const closed = subscription.close();
      release.resolve();
      await closed;
      expect(first.items).toEqual([events[0]!.id]);

      // The first event was acknowledged; the second (possibly fetched, never handled) is still the group's to deliver.
      const next = new Recorder<string>();
      bus.subscribe('closing', 'c2', async (event) => next.push(event.id), fast);
      expect(await next.waitFor(1)).toEqual([events[1]!.id]);
      await quiet();
      expect(next.items).toEqual([events[1]!.id]);
    });

    test('a closed bus rejects publish and subscribe', async () => {
      await bus.close();
      await expect(bus.publish(transferEvents(1))).rejects.toBeInstanceOf(BusClosedError);
      expect(() => bus.subscribe('g', 'c', async () => undefined)).toThrow(BusClosedError);
    });
  });
}
