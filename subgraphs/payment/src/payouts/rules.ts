/**
 * The rules of payouts (money-out.md, "Payouts"), in one place.
 *
 * - A payout is PENDING when made: its money leaves the business's
 *   available balance at once (business → PAYOUT_CLEARING), so concurrent
 *   payouts can never take more than was there. The next run sends every
 *   PENDING payout whose hold has passed to the bank in one batch file
 *   (IN_TRANSIT); the bank's answer makes it PAID (clearing → the bank) or
 *   FAILED (clearing → back to the business, `failureCode` set). Statuses
 *   only move forward: every move is a guarded UPDATE on the status it leaves.
 * - After the payout account is set or changed, nothing goes out before
 *   `holdUntil` (PAYOUT_HOLD_HOURS, the fraud window): a payout made meanwhile
 *   waits (`notBefore`), and its `expectedArrivalDate` says so.
 * - Automatic payouts: once a day, at PAYOUT_CUTOFF Hong Kong time, one per
 *   business with a payout account and at least PAYOUT_MINIMUM available,
 *   for everything available; its Hong Kong day is recorded, so running the
 *   job twice for a day makes nothing twice.
 * - Arrival: a batch leaves at the cutoff of the day its payouts are due (or
 *   the next day, when due after it) and the bank pays on the next weekday.
 *   Hong Kong public holidays are not in the table: an arrival date may fall
 *   on one (the bank then pays the next working day).
 *
 * Hong Kong keeps UTC+8 all year (no daylight saving).
 */
export const HONG_KONG_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Hong Kong calendar day of an instant, as a UTC midnight Date (what a DATE column holds). */
export function hongKongDay(at: Date): Date {
  const local = at.getTime() + HONG_KONG_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS));
}

/** `YYYY-MM-DD` of a Hong Kong day. */
export const dayText = (day: Date) => day.toISOString().slice(0, 10);

/** Minutes after Hong Kong midnight of an instant. */
function hongKongMinutes(at: Date): number {
  const local = at.getTime() + HONG_KONG_OFFSET_MS;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** The next Monday-to-Friday after `day`. */
function nextWeekday(day: Date): Date {
  let next = new Date(day.getTime() + DAY_MS);
  while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next = new Date(next.getTime() + DAY_MS);
  return next;
}

/** When a payout due at `notBefore` reaches the bank account: the weekday after the batch that takes it. */
export function expectedArrivalDate(notBefore: Date, cutoffMinutes: number): Date {
  const due = hongKongDay(notBefore);
  const batchDay = hongKongMinutes(notBefore) < cutoffMinutes ? due : new Date(due.getTime() + DAY_MS);
  return nextWeekday(batchDay);
}

/** When a payout made `now` may go out: now, or when the hold after an account change ends. */
export const notBeforeOf = (now: Date, holdUntil: Date) => (holdUntil > now ? holdUntil : now);
