import os from 'node:os';
import type { Logger } from '@harbour/logger';
import type { EventBus, SubscribeOptions, Subscription } from '../bus/types';
import { redisStreamsBusFromEnv } from '../bus/redis/bus';
import { sqlProcessedEvents } from '../bus/processed-events';
import { processedIdsOf, type KnownEvent } from '../definitions/catalogue';
import { parseEvent } from '../definitions/parse';
import type { SqlExecutor, TransactionalClient } from '../internal/sql';
import type { ConsumedOutcome, EventsObserver } from '../observer';

export interface ConsumerOptions<Tx extends SqlExecutor, R> {
  /** The consumer group, and the `processed_events.consumer` name: usually the subgraph, e.g. "notification". */
  group: string;
  /** The store the reactions write to; each event is applied in one of its transactions, once. */
  client: TransactionalClient<Tx>;
  /** Applies one event inside the store's transaction; ignore the types you do not react to. */
  apply: (event: KnownEvent, tx: Tx) => Promise<R>;
  /** Runs after the transaction that applied an event committed (e.g. publishing a live update). */
  afterCommit?: (event: KnownEvent, result: R) => Promise<void> | void;
  logger: Logger;
  env?: Record<string, string | undefined>;
  /** Use this bus instead of Redis Streams from the environment (single-process runs, tests). */
  bus?: EventBus;
  subscribe?: SubscribeOptions;
  /** Told each delivery's outcome and the event's age (consumer lag, for the process's metrics). */
  observer?: EventsObserver;
}

export interface RunningConsumer {
  subscription: Subscription;
  stop(): Promise<void>;
}

/**
 * A subgraph reacting to other subgraphs' events: subscribes its group to
 * the bus, validates each event, and applies it exactly once however often
 * it is delivered (the event id — and, for a fact that travels as two
 * versions, the fact's own id and its companion's: `processedIdsOf` — is
 * recorded in `processed_events` in the same transaction as the reaction). A handler that throws leaves the event
 * to be delivered again; events of unknown types or versions are logged
 * and acknowledged, so a newer producer never blocks an older consumer.
 */
export function startConsumer<Tx extends SqlExecutor, R>(options: ConsumerOptions<Tx, R>): RunningConsumer {
  const env = options.env ?? process.env;
  const bus = options.bus ?? redisStreamsBusFromEnv(env, { logger: options.logger });
  const processed = sqlProcessedEvents(options.client, options.group);
  const consumerName = `${os.hostname()}-${process.pid}`;
  const subscription = bus.subscribe(
    options.group,
    consumerName,
    async (raw) => {
      const parsed = parseEvent(raw);
      const observed = (outcome: ConsumedOutcome) => {
        if (!options.observer) return;
        const occurred = Date.parse(parsed.event.occurredAt);
        options.observer.eventConsumed(options.group, outcome, Number.isNaN(occurred) ? 0 : Math.max(0, (Date.now() - occurred) / 1000));
      };
      if (parsed.kind === 'unknown') {
        options.logger.info({ type: parsed.event.type, version: parsed.event.version, eventId: parsed.event.id }, 'event of an unknown type or version skipped');
        observed('skipped');
        return;
      }
      try {
        const outcome = await processed.applyOnce(processedIdsOf(parsed.event), (tx) => options.apply(parsed.event, tx));
        if (outcome.applied && options.afterCommit) await options.afterCommit(parsed.event, outcome.result);
        observed(outcome.applied ? 'applied' : 'duplicate');
      } catch (error) {
        observed('failed');
        throw error;
      }
    },
    options.subscribe,
  );
  return {
    subscription,
    async stop() {
      await subscription.close();
      if (!options.bus) await bus.close();
    },
  };
}
