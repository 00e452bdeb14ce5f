import type { OutboxRelayMetrics } from './outbox/relay';

/** What a consumer did with one delivery: applied it, found it applied before, skipped an unknown type, or failed (it comes again). */
export type ConsumedOutcome = 'applied' | 'duplicate' | 'skipped' | 'failed';

/**
 * Told what the outbox relays and consumers of a process do, so that its
 * metrics (a subgraph's `/metrics`) can report outbox lag and consumer lag
 * without this package knowing how they are exported.
 */
export interface EventsObserver {
  /** A relay started: `read` gives its figures (one indexed query for the lag) whenever they are scraped. */
  outboxRelay(destination: 'bus' | 'analytics', read: () => Promise<OutboxRelayMetrics>): void;
  /** A consumer group handled one delivery of an event that occurred `ageSeconds` ago. */
  eventConsumed(group: string, outcome: ConsumedOutcome, ageSeconds: number): void;
}
