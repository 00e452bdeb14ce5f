/**
 * Typed errors of @harbour/events. Callers branch on the class (or `code`),
 * never on message text.
 */

export type EventsErrorCode =
  | 'EVENT_INVALID'
  | 'EVENT_TOO_LARGE'
  | 'BUS_UNAVAILABLE'
  | 'BUS_CLOSED';

export abstract class EventsError extends Error {
  abstract readonly code: EventsErrorCode;
}

/** One problem found while validating an event, as zod reports it. */
export interface EventIssue {
  path: string;
  message: string;
}

/**
 * An event (or its payload) does not match its definition: a producer bug
 * when raised by `createEvent`, a poison message when raised by `parseEvent`.
 */
export class InvalidEventError extends EventsError {
  override name = 'InvalidEventError';
  readonly code = 'EVENT_INVALID' as const;
  constructor(
    message: string,
    readonly issues: readonly EventIssue[],
    readonly type?: string,
    readonly version?: number,
  ) {
    super(issues.length ? `${message}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}` : message);
  }
}

/** One event is larger than a whole Event Hubs batch may be; it can never be sent as is. */
export class EventTooLargeError extends EventsError {
  override name = 'EventTooLargeError';
  readonly code = 'EVENT_TOO_LARGE' as const;
  constructor(readonly eventId: string) {
    super(`Event ${eventId} does not fit in an empty Event Hubs batch.`);
  }
}

/** The bus's server cannot be reached now; the caller (the outbox relay) retries later. */
export class BusUnavailableError extends EventsError {
  override name = 'BusUnavailableError';
  readonly code = 'BUS_UNAVAILABLE' as const;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The bus was closed; nothing more can be published or subscribed. */
export class BusClosedError extends EventsError {
  override name = 'BusClosedError';
  readonly code = 'BUS_CLOSED' as const;
  constructor() {
    super('The event bus is closed.');
  }
}
