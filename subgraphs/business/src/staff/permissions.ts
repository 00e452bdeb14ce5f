/**
 * Who may change whose membership: merchant.md's roles table, in one place.
 *
 * | action                 | OWNER  | MANAGER        | CASHIER   |
 * | ---------------------- | ------ | -------------- | --------- |
 * | see `members`          | all    | all            | themself  |
 * | add a member           | any    | CASHIERs only  | FORBIDDEN |
 * | change a member's role | any    | CASHIERs only  | FORBIDDEN |
 * | remove a member        | any    | CASHIERs only  | FORBIDDEN |
 * | leave (remove oneself) | yes    | yes            | yes       |
 * | `updateBusiness`       | yes    | FORBIDDEN      | FORBIDDEN |
 *
 * "CASHIERs only" means the membership is a CASHIER's before and after: a
 * MANAGER can neither promote anyone nor touch an OWNER or another MANAGER.
 * A business always keeps an OWNER (LAST_OWNER), checked where the change is
 * made, under the business's lock (members.ts).
 */
import type { BusinessRole } from '@harbour/prisma/business';

export type { BusinessRole };

/** May `actor` see every member (true), or only themself (false)? */
export const seesAllMembers = (actor: BusinessRole): boolean => actor === 'OWNER' || actor === 'MANAGER';

/**
 * May `actor` turn a membership whose role is `from` (null: none yet) into
 * one whose role is `to` (null: removed)? Leaving is decided by the caller
 * (anyone may remove themself).
 */
export function mayChangeMembership(actor: BusinessRole | null, from: BusinessRole | null, to: BusinessRole | null): boolean {
  if (actor === 'OWNER') return true;
  if (actor === 'MANAGER') return (from === null || from === 'CASHIER') && (to === null || to === 'CASHIER');
  return false;
}

/** May `actor` change the business's own details (name, city, category)? */
export const mayUpdateBusiness = (actor: BusinessRole | null): boolean => actor === 'OWNER';
