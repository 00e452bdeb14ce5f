import { isEvent, paymentCompleted, userSignedUp, type KnownEvent } from '@harbour/events';
import type { Prisma } from '@harbour/prisma/social';

/**
 * What social keeps from other subgraphs' events, applied inside the
 * consumer's transaction (which also records the event id, so a redelivered
 * event is not applied twice):
 *
 * - `user.signed_up`: the user exists (may be added as a friend) and their
 *   display name, which `friendship.established` carries.
 * - `payment.completed`: that the payer paid the business, kept as one row
 *   per (business, payer) with the first and latest payment time and a count;
 *   never amounts. Recommendations read nothing else.
 *
 * Every other event (including social's own `friendship.established`) is
 * ignored. The statements run on MySQL 8 and MariaDB 10.11 alike.
 */
export async function applySocialEvent(event: KnownEvent, tx: Prisma.TransactionClient): Promise<void> {
  if (isEvent(event, userSignedUp)) {
    const { userId, displayName, signedUpAt } = event.payload;
    await tx.$executeRaw`
      INSERT INTO users (user_id, display_name, signed_up_at) VALUES (${userId}, ${displayName}, ${new Date(signedUpAt)})
      ON DUPLICATE KEY UPDATE display_name = VALUES(display_name)`;
    return;
  }
  if (event.type === paymentCompleted.type) {
    // Either version: both say who paid which business when.
    const { businessId, businessName, payerUserId, completedAt } = event.payload;
    const at = new Date(completedAt);
    // Events of different payments may arrive out of order: the name follows the latest payment, the
    // times only widen. MySQL assigns left to right, so business_name is decided before last_paid_at moves.
    await tx.$executeRaw`
      INSERT INTO business_payers (business_id, payer_user_id, business_name, first_paid_at, last_paid_at, payment_count)
      VALUES (${businessId}, ${payerUserId}, ${businessName}, ${at}, ${at}, 1)
      ON DUPLICATE KEY UPDATE
        business_name = IF(VALUES(last_paid_at) >= last_paid_at, VALUES(business_name), business_name),
        first_paid_at = LEAST(first_paid_at, VALUES(first_paid_at)),
        last_paid_at = GREATEST(last_paid_at, VALUES(last_paid_at)),
        payment_count = payment_count + 1`;
  }
}
