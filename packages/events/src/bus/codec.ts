import type { DomainEvent } from '../definitions/envelope';

/**
 * The envelope back from its JSON text, or null when the text is not one.
 * Only the shape the bus itself relies on is checked; consumers validate
 * the rest against the catalogue with `parseEvent`.
 */
export function decodeEvent(raw: string): DomainEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, type, version } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof type !== 'string' || typeof version !== 'number') return null;
  return value as DomainEvent;
}
