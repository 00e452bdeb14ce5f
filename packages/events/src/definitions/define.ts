import type { z } from 'zod';

/** A payload is a JSON object (it is stored in a JSON column and sent as JSON). */
export type EventPayload = Record<string, unknown>;

/**
 * One version of one event type. A version's payload only ever gains
 * optional-to-read fields (consumers strip what they do not know); anything
 * a consumer could misread — a renamed, removed or re-meant field — is a new
 * version, which producers emit beside the old one until its consumers move.
 */
export interface EventDefinition<T extends string = string, V extends number = number, P extends EventPayload = EventPayload> {
  readonly type: T;
  readonly version: V;
  readonly schema: z.ZodType<P>;
}

/** `payment.completed`, `payment_request.created`: lower-case words, dot-separated. */
const TYPE_PATTERN = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

export function defineEvent<const T extends string, const V extends number, P extends EventPayload>(
  type: T,
  version: V,
  schema: z.ZodType<P>,
): EventDefinition<T, V, P> {
  // The type goes into VARCHAR(64) outbox_events.type.
  if (!TYPE_PATTERN.test(type) || type.length > 64) throw new TypeError(`Invalid event type "${type}".`);
  if (!Number.isInteger(version) || version < 1) throw new TypeError(`Invalid version ${version} for event type "${type}".`);
  return Object.freeze({ type, version, schema });
}
