/** The delivery worker's settings, read once at start (docs/configuration.md, Webhooks). */
import { z } from 'zod';
import { ConfigError, port, positiveInt, readVar } from '@harbour/config';
import { DEFAULT_ENDPOINT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS, DEFAULT_WORKER_CONCURRENCY } from '../rules';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../transport';

type Env = Record<string, string | undefined>;

export function webhookWorkerConfig(env: Env = process.env) {
  const timeoutMs = readVar(env, 'WEBHOOK_TIMEOUT_SECONDS', z.coerce.number().int().min(1).max(60), DEFAULT_TIMEOUT_SECONDS) * 1000;
  // Longer than an attempt can take, so a live worker never loses its claim; a dead one's runs out this long after.
  const leaseMs = readVar(env, 'WEBHOOK_LEASE_SECONDS', z.coerce.number().int().min(2).max(3600), timeoutMs / 1000 + 20) * 1000;
  if (leaseMs <= timeoutMs) throw new ConfigError('WEBHOOK_LEASE_SECONDS must be more than WEBHOOK_TIMEOUT_SECONDS.');
  return {
    /** WEBHOOKS_WORKER_PORT: GET /healthz (0, the default: a port the system picks; Kubernetes sets 8080). */
    port: readVar(env, 'WEBHOOKS_WORKER_PORT', port, 0),
    timeoutMs,
    leaseMs,
    retrySchedule: parseRetrySchedule(readVar(env, 'WEBHOOK_RETRY_SCHEDULE', z.string(), DEFAULT_RETRY_SCHEDULE)),
    endpointConcurrency: readVar(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', z.coerce.number().int().min(1).max(100), DEFAULT_ENDPOINT_CONCURRENCY),
    concurrency: readVar(env, 'WEBHOOK_WORKER_CONCURRENCY', z.coerce.number().int().min(1).max(1000), DEFAULT_WORKER_CONCURRENCY),
    pollMs: readVar(env, 'WEBHOOK_WORKER_POLL_MS', positiveInt, 250),
  };
}
