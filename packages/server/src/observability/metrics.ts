import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DatabasePoolConfig } from '@harbour/config';
import { ErrorCode, isContractCode } from '@harbour/errors';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OperationLabels } from './operation-labels';

/** Latency buckets (seconds) of every Harbour request histogram, the gateway's included. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets (seconds) of how old an event is when a consumer handles it: from a few ms on the happy path to an hour's backlog. */
const EVENT_AGE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600];
/** Distinct operation names labelled as they are (the contract has a few dozen). */
const DEFAULT_MAX_OPERATIONS = 200;
/** The outbox series of one scrape share one read of the relays. */
const OUTBOX_READ_REUSE_MS = 1_000;

/** What the mariadb driver's pool tells about itself (its `Pool` has these). */
export interface ConnectionPoolStats {
  activeConnections(): number;
  idleConnections(): number;
  totalConnections(): number;
  /** Requests waiting for a connection. */
  taskQueueSize(): number;
}

/** A store's pool settings as a process opens it: told the pool once it is open, to report its use. */
export type StorePoolOptions = DatabasePoolConfig & { onPool?: (pool: ConnectionPoolStats) => void };

/** An outbox relay's figures, read at scrape time (see @harbour/events' OutboxRelay.metrics). */
export interface OutboxFigures {
  published: number;
  failures: number;
  lagMs: number;
}

/**
 * Every Prometheus series a subgraph exports at `GET /metrics` (each
 * labelled `subgraph`), one registry per server. The requests are the
 * gateway's fetches, labelled with the client operation they serve: the
 * gateway names a fetch `<operation>__<subgraph>__<n>`, and the label is
 * `<operation>`, so a subgraph's series join the gateway's by operation.
 */
/** A subgraph's series; its `errors` count by contract code (anything else as INTERNAL_SERVER_ERROR, as the caller sees it). */
export interface SubgraphMetrics extends RequestSeries {
  registry: Registry;
  /** A database pool (`primary`, or the read `replica`), read at scrape time. */
  watchPool(pool: 'primary' | 'replica', stats: ConnectionPoolStats, maxConnections: number): void;
  /** An outbox relay to a destination (`bus`, `analytics`), read at scrape time: its lag costs one indexed query. */
  outboxRelay(destination: 'bus' | 'analytics', read: () => Promise<OutboxFigures>): void;
  /** A consumer group handled one delivery of an event that occurred `ageSeconds` ago. */
  eventConsumed(group: string, outcome: string, ageSeconds: number): void;
}

/** The client's operation of a gateway fetch name (`Me__user__0` → `Me`); other names as they are. */
export function clientOperationName(name: string | null | undefined): string | null | undefined {
  const match = name ? /^(.+)__[A-Za-z0-9_]+?__\d+$/.exec(name) : null;
  return match ? match[1] : name;
}

/** The request series every Harbour service exports, `harbour_<service>_…`: requests, latency (by operation and type) and errors (by code). */
export interface RequestSeries {
  /** The `operation` label of a name: bounded, so clients cannot make series without end. */
  operationLabels: OperationLabels;
  requests: Counter<'operation' | 'type'>;
  requestDuration: Histogram<'operation' | 'type'>;
  errors: Counter<'code'>;
}

export function requestSeries(
  service: 'gateway' | 'subgraph',
  registers: Registry[],
  help: { requests: string; duration: string; errors: string },
  maxOperations = DEFAULT_MAX_OPERATIONS,
): RequestSeries {
  return {
    operationLabels: new OperationLabels(maxOperations),
    requests: new Counter({ name: `harbour_${service}_requests_total`, help: help.requests, labelNames: ['operation', 'type'], registers }),
    requestDuration: new Histogram({
      name: `harbour_${service}_request_duration_seconds`,
      help: help.duration,
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    errors: new Counter({ name: `harbour_${service}_errors_total`, help: help.errors, labelNames: ['code'], registers }),
  };
}

export function createSubgraphMetrics(subgraph: string, options: { defaultMetrics?: boolean; maxOperations?: number } = {}): SubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'harbour_subgraph_' });
  const registers = [registry];
  /** By pool: a store that reconnects opens a new pool, which replaces its last. */
  const pools = new Map<string, { pool: string; stats: ConnectionPoolStats; max: number }>();
  const relays: Array<{ destination: string; read: () => Promise<OutboxFigures> }> = [];
  /** Every relay's figures, read once for the three outbox series of one scrape (they are collected one after another). */
  let outboxRead: { at: number; figures: Promise<Array<{ destination: string; figures: OutboxFigures | undefined }>> } | undefined;
  async function eachRelay(apply: (labels: { destination: string }, figures: OutboxFigures) => void): Promise<void> {
    if (!outboxRead || performance.now() - outboxRead.at > OUTBOX_READ_REUSE_MS) {
      // A relay whose database does not answer is left out of this scrape rather than failing it.
      outboxRead = { at: performance.now(), figures: Promise.all(relays.map(async ({ destination, read }) => ({ destination, figures: await read().catch(() => undefined) }))) };
    }
    for (const { destination, figures } of await outboxRead.figures) if (figures) apply({ destination }, figures);
  }

  const poolGauge = (name: string, help: string, value: (entry: { stats: ConnectionPoolStats; max: number }) => Array<[Record<string, string>, number]>) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        this.reset();
        for (const entry of pools.values()) for (const [labels, figure] of value(entry)) this.set({ pool: entry.pool, ...labels }, figure);
      },
    });
  poolGauge('harbour_db_pool_connections', 'Database connections of this process, by pool and state (active: lent out; idle).', ({ stats }) => [
    [{ state: 'active' }, stats.activeConnections()],
    [{ state: 'idle' }, stats.idleConnections()],
  ]);
  poolGauge('harbour_db_pool_max_connections', 'The most connections a pool may open (DATABASE_POOL_SIZE).', ({ max }) => [[{}, max]]);
  poolGauge('harbour_db_pool_waiting', 'Queries waiting for a free connection, by pool: above 0 for long, the pool is too small.', ({ stats }) => [[{}, stats.taskQueueSize()]]);

  new Gauge({
    name: 'harbour_outbox_lag_seconds',
    help: 'Age of the oldest event not yet relayed to the destination (0: none waiting).',
    labelNames: ['destination'],
    registers,
    async collect() {
      this.reset();
      await eachRelay((labels, figures) => this.set(labels, figures.lagMs / 1000));
    },
  });
  new Counter({
    name: 'harbour_outbox_published_total',
    help: 'Events relayed to the destination since the process started.',
    labelNames: ['destination'],
    registers,
    async collect() {
      this.reset();
      await eachRelay((labels, figures) => this.inc(labels, figures.published));
    },
  });
  new Counter({
    name: 'harbour_outbox_failures_total',
    help: 'Failed relay attempts (destination or database) since the process started.',
    labelNames: ['destination'],
    registers,
    async collect() {
      this.reset();
      await eachRelay((labels, figures) => this.inc(labels, figures.failures));
    },
  });

  const consumed = new Counter({
    name: 'harbour_events_consumed_total',
    help: 'Deliveries handled by a consumer group, by outcome (applied, duplicate, skipped: unknown type, failed: delivered again).',
    labelNames: ['group', 'outcome'],
    registers,
  });
  const consumerLag = new Histogram({
    name: 'harbour_event_consumer_lag_seconds',
    help: 'How long after it occurred a consumer group handled an event (outbox, bus and queue together).',
    labelNames: ['group'],
    buckets: EVENT_AGE_BUCKETS,
    registers,
  });

  return {
    registry,
    ...requestSeries(
      'subgraph',
      registers,
      { requests: 'GraphQL requests (gateway fetches) by client operation.', duration: 'GraphQL request latency by client operation.', errors: 'Errors returned to the gateway, by code.' },
      options.maxOperations,
    ),
    watchPool: (pool, stats, max) => void pools.set(pool, { pool, stats, max }),
    outboxRelay: (destination, read) => void relays.push({ destination, read }),
    eventConsumed(group, outcome, ageSeconds) {
      consumed.inc({ group, outcome });
      if (outcome === 'applied' || outcome === 'duplicate') consumerLag.observe({ group }, ageSeconds);
    },
  };
}

/** Requests, their latency by client operation and their errors by code, as this subgraph answered them. */
export function subgraphMetricsPlugin<TContext extends BaseContext>(metrics: SubgraphMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ request, operation, operationName, response }) {
          const labels = { operation: metrics.operationLabels.of(clientOperationName(operationName ?? request.operationName)), type: operation?.operation ?? 'unknown' };
          metrics.requests.inc(labels);
          metrics.requestDuration.observe(labels, (performance.now() - started) / 1000);
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            metrics.errors.inc({ code: isContractCode(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR });
          }
        },
      };
    },
  };
}
