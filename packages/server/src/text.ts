/**
 * The rules for text a person types: names (a display name, a business's
 * name and city) and free text (a transfer's message, a refund's reason).
 * Every subgraph parses its text inputs here, so the rules live in one place.
 *
 * A name tells the other side of a payment who they are paying; it is a
 * security property. It must show exactly what it is: no format characters
 * (bidirectional overrides that make "Shop\u202Eevil" read "Shoplive", zero-width
 * spaces and joiners that make two names that look alike differ), nothing that
 * renders differently from one device to the next, and something visible.
 */
import { badUserInput } from '@harbour/errors';

export interface TextField {
  /** The input's name, reported in the error's `field`. */
  field: string;
  /** How error messages name it: "Business name". */
  label: string;
  /** The most characters it may have, counted as `characterCount` counts them. */
  max: number;
}

/** Length in characters as a person counts them (code points), which is how MySQL's VARCHAR counts. */
export const characterCount = (value: string) => [...value].length;

// A lone UTF-16 surrogate (JSON allows "\ud800") is no character at all: MySQL cannot store it.
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Control characters and line or paragraph separators: each text is one line, and they corrupt notifications and logs. */
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
/**
 * In a name: every format character (Cf: bidi controls, zero-width spaces and
 * joiners, the BOM, soft hyphens) and the other default-ignorable code points
 * (Hangul fillers, the combining grapheme joiner), which show as nothing.
 * Variation selectors are default-ignorable too but only choose how an emoji
 * is drawn ("❤️"), so they stay.
 */
const INVISIBLE_IN_NAME = /\p{Cf}|(?!\p{Variation_Selector})\p{Default_Ignorable_Code_Point}/u;
/**
 * In free text: format characters too, except the zero-width joiner and
 * non-joiner, which emoji sequences ("👩‍💻") and the spelling of several
 * scripts need and which cannot reorder or hide the text around them.
 */
const INVISIBLE_IN_TEXT = /(?![\u200C\u200D])\p{Cf}/u;
/** Private-use characters draw as whatever the reader's font puts there; unassigned ones as nothing yet. */
const UNSTABLE = /[\p{Co}\p{Cn}]/u;
/** Something a reader sees: a letter, digit, punctuation or symbol (the braille blank is a symbol that draws as nothing). */
const VISIBLE = /(?!\u2800)[\p{L}\p{N}\p{P}\p{S}]/u;

/** Well-formed Unicode: no lone surrogate. The first check of every text input. */
export const isWellFormedText = (value: string) => !LONE_SURROGATE.test(value);

/** NFC and trimmed, after the checks every text shares; the caller adds its own. */
function normalised(value: string, { field, label }: TextField): string {
  if (!isWellFormedText(value)) throw badUserInput(`${label} must be valid Unicode text.`, field);
  // NFC first, so that "Cafe\u0301" and "Café" are one name, stored once, and counted as the person sees it.
  const text = value.normalize('NFC').trim();
  if (CONTROL.test(text)) throw badUserInput(`${label} must not contain control characters or line breaks.`, field);
  return text;
}

function checkVisible(text: string, { field, label }: TextField): void {
  if (!VISIBLE.test(text)) throw badUserInput(`${label} must contain a visible character.`, field);
}

/** A name of 1 to `max` characters, NFC-normalised and trimmed. */
export function parseName(value: string, rule: TextField): string {
  const { field, label, max } = rule;
  const name = normalised(value, rule);
  if (INVISIBLE_IN_NAME.test(name)) throw badUserInput(`${label} must not contain invisible or direction-changing characters.`, field);
  if (UNSTABLE.test(name)) throw badUserInput(`${label} must not contain private-use or unassigned characters.`, field);
  const length = characterCount(name);
  if (length < 1 || length > max) throw badUserInput(`${label} must be 1 to ${max} characters.`, field);
  checkVisible(name, rule);
  return name;
}

/** Optional free text of at most `max` characters, NFC-normalised and trimmed; absent or blank is null. */
export function parseOptionalText(value: string | null | undefined, rule: TextField): string | null {
  if (value === null || value === undefined) return null;
  const { field, label, max } = rule;
  const text = normalised(value, rule);
  if (text === '') return null;
  if (INVISIBLE_IN_TEXT.test(text)) throw badUserInput(`${label} must not contain invisible or direction-changing characters.`, field);
  if (characterCount(text) > max) throw badUserInput(`${label} must be at most ${max} characters.`, field);
  checkVisible(text, rule);
  return text;
}
