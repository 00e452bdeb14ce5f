import { countedSubscription, createGatewayMetrics } from '..';

const openNow = async (metrics: ReturnType<typeof createGatewayMetrics>) => (await metrics.openSubscriptions.get()).values[0]?.value ?? 0;

/** Updates that wait for a push, as a live subscription does between changes. */
function waitingUpdates() {
  let release: (() => void) | undefined;
  let finished = false;
  const updates = (async function* updates() {
    try {
      yield 'current state';
      await new Promise<void>((resolve) => (release = resolve));
      yield 'update';
    } finally {
      finished = true;
    }
  })();
  return { updates, release: () => release?.(), finished: () => finished };
}

describe('open subscriptions', () => {
  it('is one more while a subscription is open, and one less as soon as it is completed, even while it waits for an update', async () => {
    const metrics = createGatewayMetrics({ defaultMetrics: false });
    const live = waitingUpdates();
    const counted = countedSubscription(metrics, 'PaymentRequestUpdated', live.updates);
    expect(await openNow(metrics)).toBe(1);
    expect(await counted.next()).toEqual({ value: 'current state', done: false });

    const waiting = counted.next();
    const completed = counted.return!(undefined);
    expect(await openNow(metrics)).toBe(0);
    live.release();
    await Promise.all([waiting, completed]);
    expect(live.finished()).toBe(true);
    expect(await openNow(metrics)).toBe(0);
    expect((await metrics.requests.get()).values).toEqual([expect.objectContaining({ labels: { operation: 'PaymentRequestUpdated', type: 'subscription' }, value: 1 })]);
  });

  it('is one less when the updates end or fail by themselves, once', async () => {
    const metrics = createGatewayMetrics({ defaultMetrics: false });
    const ending = countedSubscription(metrics, 'NotificationAdded', (async function* updates() {})());
    const failing = countedSubscription(
      metrics,
      'NotificationAdded',
      (async function* updates(): AsyncGenerator<string> {
        yield* []; // nothing arrives before the failure
        throw new Error('slow consumer');
      })(),
    );
    expect(await openNow(metrics)).toBe(2);
    expect(await ending.next()).toEqual({ value: undefined, done: true });
    await expect(failing.next()).rejects.toThrow('slow consumer');
    await ending.return!(undefined);
    expect(await openNow(metrics)).toBe(0);
  });
});
