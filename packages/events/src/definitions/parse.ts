/** The consumer side: check a received envelope against the catalogue. */
import { SUBGRAPHS } from '@harbour/config';
import { z } from 'zod';
import { InvalidEventError } from '../errors';
import { findDefinition, type KnownEvent } from './catalogue';
import type { DomainEvent } from './envelope';
import { issuesOf } from './issues';

const envelopeSchema = z.object({
  id: z.string().regex(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/, 'expected evt_ followed by a ULID'),
  type: z.string().min(1).max(64),
  version: z.number().int().positive(),
  source: z.enum(SUBGRAPHS),
  aggregateType: z.string().min(1).max(32),
  aggregateId: z.string().min(1).max(40),
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

/**
 * `known`: the type and version are in this build's catalogue and the payload
 * matches. `unknown`: a well-formed envelope of a type or version this build
 * does not know (a newer producer) — skip it and log, do not fail.
 */
export type ParsedEvent = { kind: 'known'; event: KnownEvent } | { kind: 'unknown'; event: DomainEvent<Record<string, unknown>> };

/**
 * Validates a received event (an object, or its JSON text). Throws
 * InvalidEventError when the envelope is malformed or a known event's payload
 * does not match its definition: that is a producer bug, and the bus will
 * dead-letter the message after its retries.
 */
export function parseEvent(raw: unknown): ParsedEvent {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidEventError('The event is not valid JSON', []);
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new InvalidEventError('Malformed event envelope', issuesOf(envelope.error));
  const event = envelope.data;
  const definition = findDefinition(event.type, event.version);
  if (!definition) return { kind: 'unknown', event };
  const payload = definition.schema.safeParse(event.payload);
  if (!payload.success) {
    throw new InvalidEventError(`Invalid payload for ${event.type} v${event.version} (${event.id})`, issuesOf(payload.error), event.type, event.version);
  }
  // The definition was found by this event's type and version, so the pair matches one member of KnownEvent.
  return { kind: 'known', event: { ...event, payload: payload.data } as KnownEvent };
}
