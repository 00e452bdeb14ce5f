import { positiveInt, readVar } from '@harbour/config';
import { loadSigningKey } from '@harbour/identity';
import { createUserStore } from '@harbour/prisma/user';
import { runSubgraph } from '@harbour/server';
import { Redis } from 'ioredis';
import { buildUserSubgraph } from './build';

runSubgraph('user', createUserStore, (runtime) => {
  const redis = new Redis(runtime.config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => runtime.logger.warn({ err: error }, 'redis error'));
  runtime.onStop(() => redis.disconnect());
  return buildUserSubgraph({
    ...runtime,
    redis,
    signingKey: loadSigningKey(runtime.config),
    passwordCost: readVar(process.env, 'PASSWORD_SCRYPT_COST', positiveInt, 15),
  });
});
