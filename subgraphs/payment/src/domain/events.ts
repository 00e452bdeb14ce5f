import { createEvent, outboxRow, type DomainEvent, type EventDefinition, type EventPayload } from '@harbour/events';
import type { Prisma } from '@harbour/prisma/payment';

/** A domain event of the payment subgraph's, validated, not yet written. */
export function paymentEvent<T extends string, V extends number, TPayload extends EventPayload>(
  definition: EventDefinition<T, V, TPayload>,
  aggregate: { type: string; id: string },
  payload: TPayload,
  occurredAt: Date,
): DomainEvent<TPayload, T, V> {
  return createEvent(definition, { source: 'payment', aggregateType: aggregate.type, aggregateId: aggregate.id, payload, occurredAt });
}

/**
 * Writes domain events to the outbox in the caller's transaction, in one
 * statement: they are published if and only if the change they describe
 * commits.
 */
export async function writeEvents(tx: Prisma.TransactionClient, events: DomainEvent[]): Promise<void> {
  // Payloads are validated JSON objects; Prisma types JSON columns more narrowly than `Record<string, unknown>`.
  const data = events.map(outboxRow).map((row) => ({ ...row, payload: row.payload as Prisma.InputJsonObject }));
  await tx.outboxEvent.createMany({ data });
}

/** Writes one domain event to the outbox in the caller's transaction. */
export async function recordEvent<T extends string, V extends number, TPayload extends EventPayload>(
  tx: Prisma.TransactionClient,
  definition: EventDefinition<T, V, TPayload>,
  aggregate: { type: string; id: string },
  payload: TPayload,
  occurredAt: Date,
): Promise<void> {
  await writeEvents(tx, [paymentEvent(definition, aggregate, payload, occurredAt)]);
}
