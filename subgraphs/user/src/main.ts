import { nonNegativeInt, positiveInt, readVar } from '@harbour/config';
import { startOutboxRelays } from '@harbour/events';
import { loadSigningKeys } from '@harbour/identity';
import { createUserStore } from '@harbour/prisma/user';
import { runSubgraph } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildUserSubgraph } from './build';
import { startUserConsumer } from './consumer';
import { DEFAULT_LOGIN_FAILURE_LIMIT } from './domain/login-failures';

runSubgraph('user', createUserStore, (runtime) => {
  const redis = new Redis(runtime.config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => runtime.logger.warn({ err: error }, 'redis error'));
  const relays = startOutboxRelays({ client: runtime.store, source: 'user', logger: runtime.logger, observer: runtime.metrics });
  const consumer = startUserConsumer({ store: runtime.store, logger: runtime.logger, observer: runtime.metrics });
  runtime.onStop(async () => {
    await consumer.stop();
    await relays.stop();
    redis.disconnect();
  });
  return buildUserSubgraph({
    ...runtime,
    redis,
    signingKeys: loadSigningKeys(runtime.config),
    passwordCost: readVar(process.env, 'PASSWORD_SCRYPT_COST', positiveInt, 15),
    loginFailureLimit: {
      limit: readVar(process.env, 'LOGIN_FAILURES_PER_ACCOUNT', nonNegativeInt, DEFAULT_LOGIN_FAILURE_LIMIT.limit),
      windowSeconds: readVar(process.env, 'LOGIN_FAILURE_WINDOW_SECONDS', positiveInt, DEFAULT_LOGIN_FAILURE_LIMIT.windowSeconds),
    },
    eventsWritten: relays.wake,
  });
});
