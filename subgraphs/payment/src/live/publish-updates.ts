import os from 'node:os';
import { factOf, parseEvent, paymentCompletedFacts, type EventBus, type KnownEvent, type Subscription } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';

/** The Redis pub/sub channel the gateways listen on for one payment request's changes. */
export const paymentRequestChannel = (prefix: string, paymentRequestId: string) => `${prefix}payment-request-updated:${paymentRequestId}`;

/** The channel for `businessPaymentReceived`: every payment a business receives, whatever its source. */
export const businessPaymentChannel = (prefix: string, businessId: string) => `${prefix}business-payment-received:${businessId}`;

/** The announcements one event makes: (channel, message) pairs. */
function announcementsOf(event: KnownEvent, prefix: string): Array<[string, Record<string, unknown>]> {
  // Both versions of one payment.completed carry the payment's id as theirs: a gateway pushes it once.
  const id = factOf(event);
  switch (event.type) {
    case 'payment.completed': {
      const p = paymentCompletedFacts(event);
      const received: [string, Record<string, unknown>] = [businessPaymentChannel(prefix, p.businessId), { id, paymentId: p.paymentId }];
      return p.paymentRequestId ? [[paymentRequestChannel(prefix, p.paymentRequestId), { id, paymentRequestId: p.paymentRequestId }], received] : [received];
    }
    case 'payment_request.cancelled':
    case 'payment_request.expired':
      return [[paymentRequestChannel(prefix, event.payload.paymentRequestId), { id, paymentRequestId: event.payload.paymentRequestId }]];
    default:
      return [];
  }
}

/**
 * Live updates for `paymentRequestUpdated` and `businessPaymentReceived`:
 * when the bus carries a change of a payment request (paid, cancelled,
 * expired) or a payment a business received (any source), it is announced
 * on Redis pub/sub, where every gateway replica hears it and pushes it to its
 * own subscribers. Fed from the bus, after commit: never a change that did
 * not happen. The change's id travels along, so a redelivered event (or the
 * second version of one payment.completed) is pushed once.
 */
export function publishPaymentRequestUpdates(options: { bus: EventBus; redis: Redis; prefix: string; logger: Logger }): Subscription {
  return options.bus.subscribe(
    'payment-live-updates',
    `${os.hostname()}-${process.pid}`,
    async (raw) => {
      const parsed = parseEvent(raw);
      if (parsed.kind !== 'known') return;
      for (const [channel, message] of announcementsOf(parsed.event, options.prefix)) {
        try {
          await options.redis.publish(channel, JSON.stringify(message));
        } catch (error) {
          // A missed push costs a live update, not data: clients catch up from the current state.
          options.logger.warn({ err: error, channel }, 'could not publish a live update');
        }
      }
    },
    // Live updates are about now: a new group starts at the next event, not the stream's history.
    { startAt: '$' },
  );
}
