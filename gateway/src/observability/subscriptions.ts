import type { GatewayMetrics } from './metrics';

/**
 * A subscription's updates, counted: one request of type `subscription`,
 * and one open subscription until the updates end, whichever way they do
 * (the client completes it, the socket closes, the stream fails or ends).
 * A wrapper, not a generator: a generator's `return()` waits for the update
 * it is awaiting, and the gauge must drop when graphql-ws lets go.
 */
export function countedSubscription<T>(metrics: GatewayMetrics | undefined, operationName: string | undefined, updates: AsyncGenerator<T>): AsyncIterableIterator<T> {
  if (!metrics) return updates;
  metrics.requests.inc({ operation: metrics.operationLabels.of(operationName), type: 'subscription' });
  metrics.openSubscriptions.inc();
  let open = true;
  const close = () => {
    if (open) metrics.openSubscriptions.dec();
    open = false;
  };
  const settle = async (step: Promise<IteratorResult<T>>) => {
    try {
      const result = await step;
      if (result.done) close();
      return result;
    } catch (error) {
      close();
      throw error;
    }
  };
  const counted: Required<AsyncIterableIterator<T>> = {
    next: () => settle(updates.next()),
    return: (value) => {
      close();
      return updates.return(value);
    },
    throw: (error: unknown) => {
      close();
      return updates.throw(error);
    },
    [Symbol.asyncIterator]: () => counted,
  };
  return counted;
}
