/**
 * What every test of Harbour's uses to reach the real MariaDB and Redis
 * under names no other run uses, and to remove them afterwards.
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
export { waitUntil, redisPubSubClientId, killRedisPubSubClient } from './waiting';
