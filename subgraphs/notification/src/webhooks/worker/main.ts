/**
 * The webhook delivery worker's entry point (`npm run webhooks:worker`;
 * started by `npm start`; the Kubernetes Deployment `webhooks`, scaled on
 * its own). It delivers until SIGTERM, then finishes the attempts in flight
 * (each within WEBHOOK_TIMEOUT_SECONDS) and exits. GET /healthz on
 * WEBHOOKS_WORKER_PORT answers 200 while its loop is alive.
 */
import { createServer } from 'node:http';
import { commonConfig, databaseUrl } from '@harbour/config';
import { createLogger } from '@harbour/logger';
import { createNotificationStore } from '@harbour/prisma/notification';
import { Redis } from 'ioredis';
import { publishNotificationsAdded } from '../../live/publish';
import { webhookApiConfig } from '../config';
import { webhookWorkerConfig } from './config';
import { DeliveryWorker } from './delivery-worker';

async function main(): Promise<void> {
  const config = commonConfig();
  const own = webhookWorkerConfig();
  const { secrets } = webhookApiConfig();
  const logger = createLogger('webhooks', config.logLevel);
  if (secrets.development) logger.warn('webhooks: WEBHOOK_SECRET_KEYS is not set; secrets are encrypted with the public development key (sandbox only)');
  // Claims, attempt records and reads overlap while attempts are in flight; a few connections serve them all.
  const store = createNotificationStore(databaseUrl('notification'), { ...config.databasePool, connectionLimit: Math.min(config.databasePool.connectionLimit, 4), minIdle: 1 });
  // Only for live updates of the OWNERs' notices when an endpoint is disabled: fail fast while Redis is away.
  const publisher = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2_000, lazyConnect: true });
  publisher.on('error', (error) => logger.warn({ err: error }, 'webhooks: redis publisher error'));
  publisher.connect().catch(() => undefined);
  const worker = new DeliveryWorker({
    store,
    secrets,
    logger,
    policy: config.mode === 'production' ? 'public' : 'any',
    timeoutMs: own.timeoutMs,
    retrySchedule: own.retrySchedule,
    endpointConcurrency: own.endpointConcurrency,
    concurrency: own.concurrency,
    leaseMs: own.leaseMs,
    pollMs: own.pollMs,
    notified: (made) => publishNotificationsAdded(publisher, config.redisKeyPrefix, made, logger),
  });
  const health = createServer((request, response) => {
    const alive = Date.now() - worker.lastAliveAt < own.leaseMs + own.pollMs;
    response.writeHead(request.url === '/healthz' ? (alive ? 200 : 503) : 404, { 'content-type': 'text/plain' }).end(alive ? 'ok' : 'stalled');
  });
  health.listen(own.port, () => {
    const address = health.address();
    logger.info({ port: typeof address === 'object' && address ? address.port : own.port, worker: worker.name, mode: config.mode }, 'webhooks worker started');
  });
  const stop = () => worker.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await worker.run();
  } finally {
    health.close();
    publisher.disconnect();
    await store.$disconnect();
    logger.info('webhooks worker stopped');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
