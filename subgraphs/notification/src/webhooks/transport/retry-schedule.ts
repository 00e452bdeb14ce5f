import { ConfigError } from '@harbour/config';

/** The contract's default: about a day and a half of retries after the first attempt. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const SETTING = 'WEBHOOK_RETRY_SCHEDULE';
const MAX_ENTRIES = 50;
const JITTER_FRACTION = 0.1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ENTRY = /^(\d+)(ms|s|m|h|d)$/;

function malformed(reason: string): ConfigError {
  return new ConfigError(`${SETTING} is malformed: ${reason}.`);
}

function parseDelay(entry: string, position: number): number {
  const match = ENTRY.exec(entry);
  if (!match) throw malformed(`entry ${position} ("${entry}") is not a whole number followed by ms, s, m, h or d`);
  const [, amount, unit] = match;
  const delayMs = Number(amount) * UNIT_MS[unit];
  if (delayMs === 0) throw malformed(`entry ${position} ("${entry}") is zero`);
  if (!Number.isSafeInteger(delayMs)) throw malformed(`entry ${position} ("${entry}") is too large`);
  return delayMs;
}

/**
 * The delays between attempts, in milliseconds, from a comma-separated list
 * such as `5s,5m,30m` (units ms, s, m, h, d). Anything malformed stops the
 * process at start with one line naming the setting.
 */
export function parseRetrySchedule(text: string): number[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_ENTRIES) throw malformed(`more than ${MAX_ENTRIES} entries`);
  return entries.map((entry, index) => {
    if (entry === '') throw malformed(`entry ${index + 1} is empty`);
    return parseDelay(entry, index + 1);
  });
}

/**
 * Spreads a retry delay by ±10%. After a receiver's outage every delivery
 * that failed during it would otherwise come due at the same instant and hit
 * the receiver as one burst just as it recovers (a thundering herd).
 */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  const offset = (random() * 2 - 1) * JITTER_FRACTION * delayMs;
  return Math.max(0, Math.round(delayMs + offset));
}
