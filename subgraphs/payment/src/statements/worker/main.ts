/**
 * The statements worker's entry point (`npm run statements:worker`; started
 * by `npm start`; the Kubernetes Deployment `statements`, scaled on its own).
 * It writes statements until SIGTERM, then finishes the one in hand and
 * exits. GET /healthz on STATEMENTS_WORKER_PORT answers 200 while its loop
 * is alive (0, the default: a port the system picks, so that stacks side by
 * side never collide; Kubernetes sets 8080 for its liveness probe).
 */
import { createServer } from 'node:http';
import { z } from 'zod';
import { databaseUrl, port, positiveInt, readVar } from '@harbour/config';
import { createLogger } from '@harbour/logger';
import { createPaymentStore } from '@harbour/prisma/payment';
import { paymentConfig } from '../../config';
import { AccountDirectory } from '../../domain/ledger/accounts';
import { SETTLE_MS } from '../rules';
import { StatementWorker } from './statement-worker';

type Env = Record<string, string | undefined>;

export function statementWorkerConfig(env: Env = process.env) {
  return {
    port: readVar(env, 'STATEMENTS_WORKER_PORT', port, 0),
    pollMs: readVar(env, 'STATEMENT_WORKER_POLL_MS', positiveInt, 1_000),
    leaseMs: readVar(env, 'STATEMENT_LEASE_SECONDS', z.coerce.number().int().min(10).max(3600), 60) * 1000,
    maxAttempts: readVar(env, 'STATEMENT_MAX_ATTEMPTS', z.coerce.number().int().min(1).max(20), 3),
    settleMs: readVar(env, 'STATEMENT_SETTLE_MS', z.coerce.number().int().min(0).max(600_000), SETTLE_MS),
  };
}

async function main(): Promise<void> {
  const config = paymentConfig();
  const own = statementWorkerConfig();
  const logger = createLogger('statements', config.logLevel);
  // One statement at a time needs three: a page's query, the next page's, the lease's extension.
  const store = createPaymentStore(databaseUrl('payment'), { ...config.databasePool, connectionLimit: Math.min(config.databasePool.connectionLimit, 3), minIdle: 1 });
  const worker = new StatementWorker({
    store,
    files: config.moneyOutFiles,
    accounts: new AccountDirectory(store, { business: config.businessShards, system: config.systemShards }),
    logger,
    pollMs: own.pollMs,
    leaseMs: own.leaseMs,
    maxAttempts: own.maxAttempts,
    settleMs: own.settleMs,
  });
  // Alive: the loop went round, or extended its lease, within two leases (a statement in hand extends it every third).
  const health = createServer((request, response) => {
    const alive = Date.now() - worker.lastAliveAt < 2 * own.leaseMs + own.pollMs;
    response.writeHead(request.url === '/healthz' ? (alive ? 200 : 503) : 404, { 'content-type': 'text/plain' }).end(alive ? 'ok' : 'stalled');
  });
  health.listen(own.port, () => {
    const address = health.address();
    logger.info({ port: typeof address === 'object' && address ? address.port : own.port, worker: worker.name }, 'statements worker started');
  });
  const stop = () => worker.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await worker.run();
  } finally {
    health.close();
    await store.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`statements: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
