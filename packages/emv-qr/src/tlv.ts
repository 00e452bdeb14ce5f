/**
 * The TLV layer of EMVCo MPM: a two-digit ID, a two-digit length and the value,
 * repeated. Lengths count code points (see text.ts). This file knows nothing of
 * which IDs mean what; decode.ts applies the payload rules.
 */
import { codePointLength, codePoints } from './text';

/** One data object. `children` is present for templates (ids.ts `isTemplateId`). */
export interface TlvObject {
  readonly id: string;
  readonly value: string;
  readonly children?: readonly TlvObject[];
}

export type TlvListResult =
  | { readonly ok: true; readonly objects: TlvObject[] }
  | { readonly ok: false; readonly offset: number; readonly message: string };

const TWO_DIGITS = /^\d\d$/;

/**
 * Splits `text` into consecutive data objects, without looking inside them.
 * `offset` on failure is a code-point index into `text`.
 */
export function parseTlvList(text: string): TlvListResult {
  const chars = codePoints(text);
  const objects: TlvObject[] = [];
  let at = 0;
  while (at < chars.length) {
    if (at + 4 > chars.length) {
      return { ok: false, offset: at, message: `truncated data object header at ${at}` };
    }
    const id = chars.slice(at, at + 2).join('');
    if (!TWO_DIGITS.test(id)) return { ok: false, offset: at, message: `id "${id}" at ${at} is not two digits` };
    const lengthText = chars.slice(at + 2, at + 4).join('');
    if (!TWO_DIGITS.test(lengthText)) {
      return { ok: false, offset: at + 2, message: `length "${lengthText}" of ${id} is not two digits` };
    }
    const length = Number(lengthText);
    const start = at + 4;
    if (start + length > chars.length) {
      const message = `${id} declares length ${length} but only ${chars.length - start} characters follow`;
      return { ok: false, offset: at, message };
    }
    objects.push({ id, value: chars.slice(start, start + length).join('') });
    at = start + length;
  }
  return { ok: true, objects };
}

/** What the encoder takes: a primitive value, or children it serialises itself. */
export type TlvInput =
  | { readonly id: string; readonly value: string }
  | { readonly id: string; readonly children: readonly TlvInput[] };

/**
 * Serialises one data object. Throws RangeError on what EMVCo cannot express:
 * a bad ID, a value over 99 characters, or an empty value (zero-length objects
 * are forbidden, and decode.ts rejects them).
 */
export function encodeTlvObject(object: TlvInput): string {
  if (!TWO_DIGITS.test(object.id)) throw new RangeError(`EMV id "${object.id}" is not two digits`);
  const value = 'children' in object ? encodeTlvList(object.children) : object.value;
  const length = codePointLength(value);
  if (length === 0) throw new RangeError(`EMV ${object.id} would be empty; leave the object out instead`);
  if (length > 99) throw new RangeError(`EMV ${object.id} is ${length} characters; the limit is 99`);
  return `${object.id}${String(length).padStart(2, '0')}${value}`;
}

export function encodeTlvList(objects: readonly TlvInput[]): string {
  return objects.map(encodeTlvObject).join('');
}

/** The first object with `id`, or undefined. */
export function findObject(objects: readonly TlvObject[], id: string): TlvObject | undefined {
  return objects.find((object) => object.id === id);
}

/**
 * The value at a path of IDs, e.g. `valueAt(objects, '62', '05')` for the
 * reference label. Undefined when any step is missing.
 */
export function valueAt(objects: readonly TlvObject[], ...path: readonly string[]): string | undefined {
  let level: readonly TlvObject[] | undefined = objects;
  let found: TlvObject | undefined;
  for (const id of path) {
    found = level ? findObject(level, id) : undefined;
    if (!found) return undefined;
    level = found.children;
  }
  return found?.value;
}
