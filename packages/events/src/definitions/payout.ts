/**
 * Events of money out (money-out.md), written by the payment subgraph. Each
 * names the business's OWNERs as they were when it happened (asked of the
 * business subgraph), so the notification subgraph tells every one of them
 * without calling back; webhooks (contract part 4) carry them to partners.
 */
import { z } from 'zod';
import { defineEvent } from './define';
import { amountMinor, businessName, currency, id, timestamp } from './fields';

const owners = z.array(id).min(1).max(100);
const destination = z.object({ bankCode: z.string().regex(/^[0-9]{3}$/), bankName: z.string().min(1).max(140), accountNumberLast4: z.string().regex(/^[0-9]{4}$/) });

/** An OWNER set or changed the business's payout account: payouts wait until `holdUntil`. */
export const payoutAccountChanged = defineEvent(
  'payout_account.changed',
  1,
  z.object({
    businessId: id,
    businessName,
    changedByUserId: id,
    ownerUserIds: owners,
    destination,
    holdUntil: timestamp,
    changedAt: timestamp,
  }),
);

const payoutFields = {
  payoutId: id,
  businessId: id,
  businessName,
  ownerUserIds: owners,
  amountMinor,
  currency,
  trigger: z.enum(['AUTOMATIC', 'MANUAL']),
  destination,
};

/** The bank confirmed a payout: the money reached the business's account. */
export const payoutPaid = defineEvent('payout.paid', 1, z.object({ ...payoutFields, paidAt: timestamp }));

/** The bank refused a payout: its money is back in the business's available balance. */
export const payoutFailed = defineEvent('payout.failed', 1, z.object({ ...payoutFields, failureCode: z.string().min(1).max(40), failedAt: timestamp }));
