/**
 * What every test of Harbour's uses to reach the real MariaDB and Redis
 * under names no other run uses, and to remove them afterwards; and a blob
 * service (Azurite) of a test's own.
 */
export {
  MYSQL_URL,
  REDIS_URL,
  uniqueRunId,
  testDatabaseUrls,
  databaseEnv,
  dropDatabases,
  deleteRedisPrefix,
  freePorts,
  listeningPid,
  createTestDatabase,
} from './resources';
export { startRedisCluster, type TestRedisCluster } from './redis-cluster';
export { startAzurite, type TestAzurite } from './azurite';
export { waitUntil, redisPubSubClientId, killRedisPubSubClient } from './waiting';
