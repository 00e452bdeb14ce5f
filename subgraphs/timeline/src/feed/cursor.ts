import { badUserInput } from '@harbour/errors';

/**
 * Cursors are opaque to clients: base64url of (occurred_at, id), the order
 * of the timeline. Decoding is strict, so that anything a client made up is
 * BAD_USER_INPUT rather than a page from a surprising place.
 */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(tle_[0-9A-HJKMNP-TV-Z]{26})$/;
const MAX_CURSOR_LENGTH = 96;

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const invalid = () => badUserInput('The cursor is not valid.', 'after');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid();
  const at = new Date(match[1]!);
  // Also rejects calendar-impossible instants that Date would roll over (2026-02-31).
  if (Number.isNaN(at.getTime()) || at.toISOString() !== match[1]) throw invalid();
  // Only the one spelling encodeCursor makes (base64url has several for the same bytes).
  if (encodeCursor(at, match[2]!) !== cursor) throw invalid();
  return { at, id: match[2]! };
}

/** `first` of a connection: 1 to 100 (20 when not given). */
export function checkFirst(first: number | null | undefined, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw badUserInput('first must be 1 to 100.', 'first');
  return value;
}
