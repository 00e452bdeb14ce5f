/**
 * The analytics feed: every domain event, as versioned JSON, to Azure Event
 * Hubs, where the analytics side reads it. An OutboxRelay with the
 * `analytics_published_at` marker feeds it.
 *
 * Each aggregate's events go in batches keyed by the aggregate id, so Event
 * Hubs puts them in one partition, and those batches are sent one after the
 * other: an aggregate's events stay in order. Different aggregates are sent
 * side by side.
 */
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { createLogger, type Logger } from '@harbour/logger';
import type { DomainEvent } from '../definitions/envelope';
import { EventTooLargeError } from '../errors';
import type { OutboxDestination } from '../outbox/relay';

export interface EventHubsAnalyticsFeedOptions {
  /** `Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...[;EntityPath=hub]`. */
  connectionString: string;
  /** Needed when the connection string has no EntityPath. */
  eventHubName?: string;
  /** Aggregates sent at the same time (default 8). */
  concurrency?: number;
  logger?: Logger;
}

export interface AnalyticsFeed extends OutboxDestination {
  close(): Promise<void>;
}

export class EventHubsAnalyticsFeed implements AnalyticsFeed {
  private readonly producer: EventHubProducerClient;
  private readonly concurrency: number;
  private readonly logger: Logger;

  constructor(options: EventHubsAnalyticsFeedOptions) {
    this.producer = options.eventHubName
      ? new EventHubProducerClient(options.connectionString, options.eventHubName)
      : new EventHubProducerClient(options.connectionString);
    this.concurrency = options.concurrency ?? 8;
    this.logger = options.logger ?? createLogger('events');
  }

  /** Sends every event; resolves when Event Hubs accepted all of them, rejects if any batch failed (the relay retries). */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    const byAggregate = new Map<string, DomainEvent[]>();
    for (const event of events) {
      const list = byAggregate.get(event.aggregateId);
      if (list) list.push(event);
      else byAggregate.set(event.aggregateId, [event]);
    }
    const queue = [...byAggregate.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.sendAggregate(next[0], next[1]);
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    this.logger.debug({ events: events.length, aggregates: byAggregate.size }, 'Sent events to the analytics feed');
  }

  async close(): Promise<void> {
    await this.producer.close();
  }

  /** One aggregate's events, in order, in as few batches as fit. */
  private async sendAggregate(aggregateId: string, events: DomainEvent[]): Promise<void> {
    let batch = await this.producer.createBatch({ partitionKey: aggregateId });
    for (const event of events) {
      const data = toEventData(event);
      if (batch.tryAdd(data)) continue;
      if (batch.count === 0) throw new EventTooLargeError(event.id);
      await this.producer.sendBatch(batch);
      batch = await this.producer.createBatch({ partitionKey: aggregateId });
      if (!batch.tryAdd(data)) throw new EventTooLargeError(event.id);
    }
    if (batch.count > 0) await this.producer.sendBatch(batch);
  }
}

/**
 * The body is the whole envelope (the SDK sends it as JSON); type and version
 * also go in the properties, so readers can route without parsing the body.
 */
export function toEventData(event: DomainEvent): EventData {
  return {
    body: event,
    contentType: 'application/json',
    messageId: event.id,
    properties: { type: event.type, version: event.version, source: event.source, aggregateType: event.aggregateType },
  };
}
