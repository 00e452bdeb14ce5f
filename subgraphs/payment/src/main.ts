import { startOutboxRelays } from '@harbour/events';
import { createPaymentStore } from '@harbour/prisma/payment';
import { runSubgraph } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildPaymentSubgraph } from './build';
import { paymentConfig } from './config';
import { forwardMembershipChanges, listenForMembershipChanges } from './directory/membership-invalidation';
import { publishPaymentRequestUpdates } from './live/publish-updates';

/** A duplicate idempotency key waits at most this long for the first request before IDEMPOTENCY_KEY_IN_USE. */
const LOCK_WAIT_SECONDS = 5;
const sessionSql = [`SET SESSION innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`];

runSubgraph('payment', (url, pool) => createPaymentStore(url, { ...pool, sessionSql }), (runtime) => {
  const config = paymentConfig();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => runtime.logger.warn({ err: error }, 'redis error'));
  const relays = startOutboxRelays({ client: runtime.store, source: 'payment', logger: runtime.logger, observer: runtime.metrics });
  const liveUpdates = publishPaymentRequestUpdates({ bus: relays.bus, redis, prefix: config.redisKeyPrefix, logger: runtime.logger });
  const subgraph = buildPaymentSubgraph({ ...runtime, config, eventsWritten: relays.wake });
  // The read paths' membership answers, evicted when the business subgraph says a membership changed.
  const remembering = config.membershipCacheMs > 0;
  const membershipChanges = remembering ? forwardMembershipChanges({ bus: relays.bus, redis, prefix: config.redisKeyPrefix }) : undefined;
  const membershipListener = remembering
    ? listenForMembershipChanges({ redisUrl: config.redisUrl, prefix: config.redisKeyPrefix, cache: subgraph.services.memberships, logger: runtime.logger })
    : undefined;
  runtime.onStop(async () => {
    membershipListener?.close();
    await Promise.all([liveUpdates.close(), membershipChanges?.close()]);
    await relays.stop();
    redis.disconnect();
  });
  return subgraph;
});
