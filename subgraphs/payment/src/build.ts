import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { PaymentStore } from '@harbour/prisma/payment';
import { createSubgraphServer, loadTypeDefs, storeReady, withoutReplica, type ReadReplica, type RunningServer, type SubgraphMetrics } from '@harbour/server';
import type { PaymentConfig } from './config';
import { paymentContext, type PaymentContext } from './context';
import { httpDirectory, type Directory } from './directory/directory';
import { MembershipCache } from './directory/membership-cache';
import { expirePaymentRequests } from './domain/expire-payment-requests';
import { deleteExpiredIdempotencyKeys } from './domain/idempotency';
import { AccountDirectory } from './domain/ledger/accounts';
import { resolvers } from './resolvers';
import type { PaymentServices } from './services';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface PaymentSubgraphDeps {
  config: PaymentConfig;
  store: PaymentStore;
  /** A read replica for reporting reads; the primary when absent. */
  replica?: ReadReplica<PaymentStore>;
  identitySecret: Uint8Array;
  logger: Logger;
  /** Defaults to the business and user subgraphs' internal paths over HTTP. */
  directory?: Directory;
  /** Told after each commit that wrote outbox events (the relay's wake-up). */
  eventsWritten?: () => void;
  /** The process's series (runSubgraph's), served at `/metrics`. */
  metrics?: SubgraphMetrics;
}

export interface PaymentSubgraph extends RunningServer {
  services: PaymentServices;
}

/**
 * The payment subgraph: wallets on a double-entry ledger, payment requests
 * and their QR codes, payments, refunds, transfers and reports; plus its
 * background work (expiring requests, forgetting idempotency keys after 30 days).
 */
/** What the domain functions need, made once per process (the subgraph's, and the payout run's). */
export function createPaymentServices(deps: Omit<PaymentSubgraphDeps, 'logger' | 'metrics'>): PaymentServices {
  const { config, store } = deps;
  const directory = deps.directory ?? httpDirectory({ businessUrl: config.businessInternalUrl, userUrl: config.userInternalUrl, identitySecret: deps.identitySecret });
  return {
    config,
    store,
    replica: deps.replica,
    accounts: new AccountDirectory(store, { business: config.businessShards, system: config.systemShards }),
    directory,
    // Remembers nothing until something listens for the business subgraph's changes (main.ts: listenForMembershipChanges).
    memberships: new MembershipCache({ directory, ttlMs: config.membershipCacheMs }),
    recentWrites: deps.replica?.recentWrites ?? withoutReplica,
    eventsWritten: deps.eventsWritten ?? (() => undefined),
    now: () => new Date(),
  };
}

export function buildPaymentSubgraph(deps: PaymentSubgraphDeps): PaymentSubgraph {
  const { config, store, logger } = deps;
  const services = createPaymentServices(deps);
  const server = createSubgraphServer<PaymentContext>({
    name: 'payment',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<PaymentContext>,
    extendContext: paymentContext(services),
    identitySecret: deps.identitySecret,
    logger,
    ready: storeReady(store),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => logger.error({ err: error }, `${name} failed`))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    services,
    http: server.http,
    async start(port, host) {
      const bound = await server.start(port, host);
      every(config.expirySweepMs, 'expiring payment requests', () => expirePaymentRequests(services));
      every(3_600_000, 'deleting expired idempotency keys', () => deleteExpiredIdempotencyKeys(store, services.now()));
      return bound;
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await server.stop();
    },
  };
}
