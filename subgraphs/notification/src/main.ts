import { createNotificationStore } from '@harbour/prisma/notification';
import { runSubgraph } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildNotificationSubgraph } from './build';
import { startNotificationConsumer } from './consumer';

runSubgraph('notification', createNotificationStore, (runtime) => {
  // Publishes live updates only: fail fast while Redis is away rather than queue or hang the consumer.
  const publisher = new Redis(runtime.config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2_000 });
  publisher.on('error', (error) => runtime.logger.warn({ err: error }, 'redis publisher error'));
  const consumer = startNotificationConsumer({
    store: runtime.store,
    logger: runtime.logger,
    publisher,
    redisKeyPrefix: runtime.config.redisKeyPrefix,
    recentWrites: runtime.replica?.recentWrites,
    observer: runtime.metrics,
  });
  runtime.onStop(async () => {
    await consumer.stop();
    publisher.disconnect();
  });
  return buildNotificationSubgraph(runtime);
});
