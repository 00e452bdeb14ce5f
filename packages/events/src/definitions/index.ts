export { defineEvent, type EventDefinition, type EventPayload } from './define';
export {
  createEvent,
  outboxRow,
  isEvent,
  newEventId,
  type DomainEvent,
  type EventOf,
  type EventSource,
  type CreateEventInput,
  type OutboxRowData,
} from './envelope';
export { parseEvent, type ParsedEvent } from './parse';
export { catalogue, factOf, findDefinition, processedIdsOf, paymentCompletedFacts, paymentRefundedFacts, type KnownEvent, type CatalogueDefinition } from './catalogue';
export * from './payment';
export * from './payout';
export * from './statement';
export * from './user';
export * from './business';
export * from './social';
