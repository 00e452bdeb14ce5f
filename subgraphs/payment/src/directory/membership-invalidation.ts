import os from 'node:os';
import { businessMembershipChanged, parseEvent, type EventBus, type Subscription } from '@harbour/events';
import type { Logger } from '@harbour/logger';
import { pingWatchdog } from '@harbour/server';
import { Redis } from 'ioredis';
import type { MembershipCache } from './membership-cache';

/** The Redis pub/sub channel every payment replica (and every gateway, for businessPaymentReceived) hears membership changes on. */
export const membershipChangedChannel = (prefix: string) => `${prefix}business-membership-changed`;

/** How often the listening connection is asked for a PING, and how long it has to answer before it is reconnected. */
const HEALTH_CHECK_MS = 5_000;
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Carries the business subgraph's `business.membership_changed` events from
 * the bus to every payment replica: one replica of the group takes each
 * event and announces it on Redis pub/sub (a failed announcement leaves the
 * event on the bus, to be delivered again). The group starts at the next
 * event: a replica starting up remembers nothing yet.
 */
export function forwardMembershipChanges(options: { bus: EventBus; redis: Redis; prefix: string }): Subscription {
  return options.bus.subscribe(
    'payment-membership-cache',
    `${os.hostname()}-${process.pid}`,
    async (raw) => {
      // Every event of the stream comes here; only this type is parsed (and validated).
      if (raw.type !== businessMembershipChanged.type) return;
      const parsed = parseEvent(raw);
      if (parsed.kind !== 'known' || parsed.event.type !== businessMembershipChanged.type) return;
      const { businessId, userId } = parsed.event.payload;
      await options.redis.publish(membershipChangedChannel(options.prefix), JSON.stringify({ id: parsed.event.id, businessId, userId }));
    },
    { startAt: '$' },
  );
}

/**
 * This replica's ear on the channel: each announced change evicts that
 * membership from `cache`. The cache remembers answers only while the
 * channel is subscribed: a lost connection (or one that stops answering
 * PINGs) turns remembering off and forgets everything, and a new
 * subscription forgets again before turning it back on.
 */
export function listenForMembershipChanges(options: { redisUrl: string; prefix: string; cache: MembershipCache; logger: Logger }): { close(): void } {
  const channel = membershipChangedChannel(options.prefix);
  const { cache, logger } = options;
  // Subscribes itself on every `ready` (autoResubscribe off): only then does the cache listen.
  const subscriber = new Redis(options.redisUrl, {
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    connectionName: `harbour-payment-membership-cache-${process.pid}`,
  });
  let closed = false;
  const deafen = () => cache.stopListening();
  subscriber.on('error', (error) => logger.warn({ err: error }, 'membership cache: Redis error; not remembering memberships until it is back'));
  subscriber.on('close', deafen);
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        if (!closed && subscriber.status === 'ready') cache.listen();
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'membership cache: could not subscribe; reconnecting');
        subscriber.disconnect(true);
      },
    );
  });
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const { businessId, userId } = JSON.parse(text) as { businessId?: unknown; userId?: unknown };
      if (typeof businessId === 'string' && typeof userId === 'string') return cache.forget(businessId, userId);
    } catch {
      // fall through
    }
    // Not understood: whatever it was about, forget everything.
    logger.warn({ message: text.slice(0, 200) }, 'membership cache: malformed invalidation; forgetting all');
    cache.forgetAll();
  });
  const stopWatchdog = pingWatchdog(subscriber, {
    everyMs: HEALTH_CHECK_MS,
    timeoutMs: HEALTH_TIMEOUT_MS,
    onSilent: () => {
      logger.warn('membership cache: Redis did not answer a PING; reconnecting');
      deafen();
    },
  });
  return {
    close() {
      closed = true;
      stopWatchdog();
      deafen();
      subscriber.disconnect();
    },
  };
}
