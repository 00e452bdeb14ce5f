import { badUserInput } from '@harbour/errors';

/** Cursors are opaque to clients: base64url of (time, id), the order of every connection. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || rest.length || Number.isNaN(at.getTime())) throw badUserInput('The cursor is not valid.', 'after');
  return { at, id };
}

/** An integer `first` within [min, max], else BAD_USER_INPUT. */
export function checkFirst(first: number | null | undefined, fallback: number, max: number): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw badUserInput(`first must be 1 to ${max}.`, 'first');
  return value;
}
