/**
 * Real MariaDB and Redis for this package's tests, under names no other run
 * uses, removed afterwards (the shared helpers of @harbour/testing).
 */
import { REDIS_URL } from '@harbour/testing';

export { MYSQL_URL, REDIS_URL, uniqueRunId, createTestDatabase, deleteRedisPrefix } from '@harbour/testing';

export function redisPort(): number {
  return Number(new URL(REDIS_URL).port || 6379);
}
