import { ConfigError, commonConfig, databaseUrl, servicePort, tracingConfig, type CommonConfig, type SubgraphName } from '@harbour/config';
import { loadIdentitySecret } from '@harbour/identity';
import { createLogger, type Logger } from '@harbour/logger';
import { createSubgraphMetrics, startTracing, type StorePoolOptions, type SubgraphMetrics } from './observability';
import { openReadReplica, type ReadReplica } from './read-replica';
import type { RunningServer } from './subgraph';

export interface Service {
  stop(): Promise<void>;
}

/**
 * The shape of every `main.ts`: start, and on SIGTERM/SIGINT stop cleanly
 * (drain, close pools) before exiting. A configuration problem ends the
 * process with one line naming it, not a stack trace.
 */
export function runService(name: string, start: () => Promise<Service>): void {
  let service: Service | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    try {
      await service?.stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`${name}: failed to stop cleanly after ${signal}: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  start()
    .then((started) => {
      service = started;
      if (stopping) void started.stop();
    })
    .catch((error: unknown) => {
      const message = error instanceof ConfigError || (error as Error)?.name === 'DatabaseUnreachableError' ? (error as Error).message : `failed to start: ${(error as Error)?.stack ?? String(error)}`;
      process.stderr.write(`${name}: ${message}\n`);
      process.exit(1);
    });
}

export interface SubgraphRuntime<TStore> {
  config: CommonConfig;
  store: TStore;
  identitySecret: Uint8Array;
  logger: Logger;
  /** `<NAME>_REPLICA_URL`'s store for reporting reads, when one is configured. */
  replica?: ReadReplica<TStore>;
  /**
   * The process's Prometheus series, served at the subgraph's `/metrics`:
   * pass them on to the server (`...runtime` does) and, as `observer`, to
   * the outbox relays and consumers (outbox and consumer lag).
   */
  metrics: SubgraphMetrics;
  /** Registers something to close on shutdown, after the server has drained. */
  onStop(dispose: () => Promise<void> | void): void;
}

/**
 * The whole `main.ts` of a subgraph: configuration from the environment, its
 * own store (and nobody else's) and read replica if any, its metrics and
 * tracing (spans joined to the gateway's trace when `OTEL_EXPORTER_OTLP_*`
 * is set), its server on `<NAME>_PORT`, and a clean stop.
 */
export function runSubgraph<TStore extends { $disconnect(): Promise<void> }>(
  name: SubgraphName,
  /** Opens a store with this process's pool settings (`DATABASE_POOL_*`), telling `onPool` its pool once open. */
  createStore: (databaseUrl: string, pool: StorePoolOptions) => TStore,
  build: (runtime: SubgraphRuntime<TStore>) => RunningServer,
): void {
  runService(name, async () => {
    const config = commonConfig();
    const logger = createLogger(name, config.logLevel);
    const tracing = startTracing(tracingConfig(name));
    const metrics = createSubgraphMetrics(name);
    const watchPool = (pool: 'primary' | 'replica') => (stats: Parameters<SubgraphMetrics['watchPool']>[1]) => metrics.watchPool(pool, stats, config.databasePool.connectionLimit);
    const store = createStore(databaseUrl(name), { ...config.databasePool, onPool: watchPool('primary') });
    const replica = await openReadReplica({ name, createStore, config, logger, onPool: watchPool('replica') });
    const disposers: Array<() => Promise<void> | void> = [];
    const server = build({
      config,
      store,
      identitySecret: loadIdentitySecret(config),
      logger,
      replica,
      metrics,
      onStop: (dispose) => disposers.push(dispose),
    });
    await server.start(servicePort(name));
    return {
      async stop() {
        await server.stop();
        for (const dispose of disposers) await dispose();
        await replica?.close();
        await store.$disconnect();
        // The last spans are exported before the process ends.
        await tracing.shutdown();
        logger.info(`${name} subgraph stopped`);
      },
    };
  });
}
