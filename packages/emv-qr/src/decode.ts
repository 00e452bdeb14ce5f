/**
 * Decoding of a whole EMVCo merchant-presented payload. Every rule here makes
 * a payload unreadable (the API answers INVALID_QR); rules whose breach still
 * leaves an intact, unambiguous payload live in conformance.ts instead.
 */
import { crcHex } from './crc';
import { EmvId, PAYLOAD_FORMAT_INDICATOR, isTemplateId } from './ids';
import { codePoints } from './text';
import { parseTlvList, type TlvObject } from './tlv';

/** A payload that passed every rule in this file. */
export interface EmvPayload {
  /** The text as read. */
  readonly text: string;
  /** Top-level objects in payload order, ID 00 first and ID 63 last; templates carry `children`. */
  readonly objects: readonly TlvObject[];
  /** The CRC as written in the payload (it matched, possibly in lowercase). */
  readonly crc: string;
}

/**
 * Why a string is not a readable payload. `path` names a data object, with
 * nested IDs joined by dots ("62.05").
 */
export type DecodeFailure =
  | { readonly reason: 'empty'; readonly message: string }
  | { readonly reason: 'bad-header'; readonly message: string }
  | { readonly reason: 'malformed-tlv'; readonly message: string; readonly path: string; readonly offset: number }
  | { readonly reason: 'missing-crc'; readonly message: string }
  | { readonly reason: 'crc-not-last'; readonly message: string }
  | { readonly reason: 'bad-crc'; readonly message: string; readonly expected: string; readonly found: string }
  | { readonly reason: 'zero-length-object'; readonly message: string; readonly path: string }
  | { readonly reason: 'duplicate-id'; readonly message: string; readonly path: string };

export type DecodeFailureReason = DecodeFailure['reason'];

export type DecodeResult =
  | { readonly ok: true; readonly payload: EmvPayload }
  | { readonly ok: false; readonly failure: DecodeFailure };

const HEADER = `${EmvId.payloadFormatIndicator}02${PAYLOAD_FORMAT_INDICATOR}`;
const CRC_TAG = `${EmvId.crc}04`;

function fail(failure: DecodeFailure): DecodeResult {
  return { ok: false, failure };
}

/**
 * Decodes and verifies a payload. Checks run in this order, so the reason
 * names the first thing wrong: header, TLV structure, CRC (presence, position,
 * value), then structure inside templates, zero-length objects and duplicate
 * IDs. The CRC is checked before the nested rules because a bad CRC means the
 * read itself is damaged, which is the more useful thing to report.
 */
export function decodeEmvPayload(text: string): DecodeResult {
  if (text.length === 0) return fail({ reason: 'empty', message: 'the payload is empty' });
  // ID 00 with value "01" first is what makes a string an MPM payload at all;
  // checking it before anything else also sends URLs and plain text here.
  if (!text.startsWith(HEADER)) {
    return fail({ reason: 'bad-header', message: `a payload starts with "${HEADER}" (ID 00, format indicator 01)` });
  }

  const top = parseTlvList(text);
  if (!top.ok) return fail({ reason: 'malformed-tlv', message: top.message, path: '', offset: top.offset });

  const crc = checkCrc(text, top.objects);
  if (crc) return fail(crc);

  const objects: TlvObject[] = [];
  for (const object of top.objects) {
    if (!isTemplateId(object.id)) {
      objects.push(object);
      continue;
    }
    const inner = parseTlvList(object.value);
    if (!inner.ok) {
      const message = `in template ${object.id}: ${inner.message}`;
      return fail({ reason: 'malformed-tlv', message, path: object.id, offset: inner.offset });
    }
    objects.push({ ...object, children: inner.objects });
  }

  const rule = checkZeroLength(objects, '') ?? checkDuplicates(objects, '');
  if (rule) return fail(rule);

  return { ok: true, payload: { text, objects, crc: objects[objects.length - 1]!.value } };
}

function checkCrc(text: string, objects: readonly TlvObject[]): DecodeFailure | undefined {
  const crcIndex = objects.findIndex((object) => object.id === EmvId.crc);
  if (crcIndex < 0) return { reason: 'missing-crc', message: 'there is no CRC (ID 63)' };
  if (crcIndex !== objects.length - 1) {
    return { reason: 'crc-not-last', message: 'the CRC (ID 63) is not the last data object' };
  }
  const found = objects[crcIndex]!.value;
  const chars = codePoints(text);
  // The checksum covers everything before the CRC's value, "6304" included.
  const covered = chars.slice(0, chars.length - 4 - codePoints(found).length).join('');
  const expected = crcHex(`${covered}${CRC_TAG}`);
  if (codePoints(found).length !== 4) {
    return { reason: 'bad-crc', message: `the CRC must be 4 characters, not "${found}"`, expected, found };
  }
  // Case-insensitive: a lowercase CRC still proves the data intact. Harbour's
  // own payloads are compared exactly elsewhere (harbour-match.ts).
  if (found.toUpperCase() !== expected) {
    return { reason: 'bad-crc', message: `CRC ${found} does not match the computed ${expected}`, expected, found };
  }
  return undefined;
}

function join(path: string, id: string): string {
  return path ? `${path}.${id}` : id;
}

function checkZeroLength(objects: readonly TlvObject[], path: string): DecodeFailure | undefined {
  for (const object of objects) {
    const here = join(path, object.id);
    // EMVCo: an object with nothing to say is left out, never sent as length 00.
    if (object.value.length === 0) {
      return { reason: 'zero-length-object', message: `data object ${here} has length 00`, path: here };
    }
    const inner = object.children && checkZeroLength(object.children, here);
    if (inner) return inner;
  }
  return undefined;
}

function checkDuplicates(objects: readonly TlvObject[], path: string): DecodeFailure | undefined {
  const seen = new Set<string>();
  for (const object of objects) {
    const here = join(path, object.id);
    // Two amounts (or two anything) would let a wallet show one value while
    // another is acted on, so a repeated ID is never resolved by picking one.
    if (seen.has(object.id)) return { reason: 'duplicate-id', message: `data object ${here} appears twice`, path: here };
    seen.add(object.id);
    const inner = object.children && checkDuplicates(object.children, here);
    if (inner) return inner;
  }
  return undefined;
}
