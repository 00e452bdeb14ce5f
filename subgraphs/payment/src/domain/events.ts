import { createEvent, outboxRow, type EventDefinition, type EventPayload } from '@harbour/events';
import type { Prisma } from '@harbour/prisma/payment';

/**
 * Writes a domain event to the outbox in the caller's transaction: it is
 * published if and only if the change it describes commits.
 */
export async function recordEvent<T extends string, V extends number, TPayload extends EventPayload>(
  tx: Prisma.TransactionClient,
  definition: EventDefinition<T, V, TPayload>,
  aggregate: { type: string; id: string },
  payload: TPayload,
  occurredAt: Date,
): Promise<void> {
  const event = createEvent(definition, { source: 'payment', aggregateType: aggregate.type, aggregateId: aggregate.id, payload, occurredAt });
  const row = outboxRow(event);
  // Payloads are validated JSON objects; Prisma types JSON columns more narrowly than `Record<string, unknown>`.
  await tx.outboxEvent.createMany({ data: [{ ...row, payload: row.payload as Prisma.InputJsonObject }] });
}
