import { badUserInput } from '@harbour/errors';
import { isId } from '@harbour/server';

/** Cursors are opaque to clients: base64url of (created_at, id), the order of the connection. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

/** The position a cursor of `encodeCursor` names; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso);
  if (rest.length || !isId('notification', id) || Number.isNaN(at.getTime()) || at.toISOString() !== iso) {
    throw badUserInput('The cursor is not valid.', 'after');
  }
  return { at, id };
}

/** `first` of a connection: 1 to 100. */
export function checkFirst(first: number | null | undefined, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw badUserInput('first must be 1 to 100.', 'first');
  return value;
}
