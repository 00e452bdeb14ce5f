import os from 'node:os';
import { parseEvent, type EventBus, type Subscription } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';

/** The Redis pub/sub channel the gateways listen on for one payment request's changes. */
export const paymentRequestChannel = (prefix: string, paymentRequestId: string) => `${prefix}payment-request-updated:${paymentRequestId}`;

/**
 * Live updates for `paymentRequestUpdated`: when the bus carries a change of
 * a payment request (paid, cancelled, expired), it is announced on Redis
 * pub/sub, where every gateway replica hears it and pushes it to its own
 * subscribers. Fed from the bus, after commit: never a change that did not
 * happen. The event id travels along, so a redelivered event is pushed once.
 */
export function publishPaymentRequestUpdates(options: { bus: EventBus; redis: Redis; prefix: string; logger: Logger }): Subscription {
  return options.bus.subscribe(
    'payment-live-updates',
    `${os.hostname()}-${process.pid}`,
    async (raw) => {
      const parsed = parseEvent(raw);
      if (parsed.kind !== 'known') return;
      const { event } = parsed;
      const paymentRequestId =
        event.type === 'payment.completed' || event.type === 'payment_request.cancelled' || event.type === 'payment_request.expired'
          ? event.payload.paymentRequestId
          : undefined;
      if (!paymentRequestId) return;
      try {
        await options.redis.publish(paymentRequestChannel(options.prefix, paymentRequestId), JSON.stringify({ id: event.id, paymentRequestId }));
      } catch (error) {
        // A missed push costs a live update, not data: clients catch up from the request's current state.
        options.logger.warn({ err: error, paymentRequestId }, 'could not publish a payment request update');
      }
    },
    // Live updates are about now: a new group starts at the next event, not the stream's history.
    { startAt: '$' },
  );
}
