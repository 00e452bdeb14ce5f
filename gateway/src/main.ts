import { loadIdentitySecret } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { runService, startTracing } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildGateway } from './build';
import { gatewayConfig, gatewayRedisOptions } from './config';
import { createGatewayMetrics } from './observability';

runService('gateway', async () => {
  const config = gatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const tracing = startTracing(config.tracing);
  const redis = new Redis(config.redisUrl, gatewayRedisOptions(config));
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  // Revocations are checked in Redis: give it a moment to connect before serving (it may be down: then go on).
  await new Promise((resolve) => {
    redis.once('ready', resolve);
    setTimeout(resolve, 5_000).unref();
  });
  const gateway = buildGateway({ config, redis, identitySecret: loadIdentitySecret(config), logger, metrics: createGatewayMetrics() });
  await gateway.start(config.port);
  return {
    async stop() {
      await gateway.stop();
      redis.disconnect();
      // The last spans are exported before the process ends.
      await tracing.shutdown();
      logger.info('gateway stopped');
    },
  };
});
