import { paymentCompleted, paymentCompletedV2 } from '@harbour/events';
import { badUserInput, harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { Payment, PaymentSource, Prisma } from '@harbour/prisma/payment';
import { businessKey, newId, userKey } from '@harbour/server';
import type { BusinessProfile } from '../directory/directory';
import type { PaymentServices } from '../services';
import { paymentEvent, writeEvents } from './events';
import { claimIdempotencyKey, type IdempotencyScope } from './idempotency';
import { anyShard, debitIfCovered, postEntry } from './ledger/journal';
import { moneyTransaction } from './ledger/transaction';
import { feeRateOf } from '../fees/fee-rates';
import { feeOf } from '../fees/rules';

/** Rows a business's payment count is spread over (see business_payment_counts). */
const COUNT_SHARDS = 16;

export const insufficientFunds = () => harbourError(ErrorCode.INSUFFICIENT_FUNDS, 'The wallet holds less than the amount.');

/** What a payment records, whatever asked for it: a payment request, the shop's QR code, a payment link. */
export interface PaymentTerms {
  source: PaymentSource;
  businessId: string;
  /** The business's name as the payment's events carry it (the request's QR, or the business now). */
  businessName: string;
  amount: bigint;
  currency: string;
  reference: string | null;
  paymentRequestId: string | null;
  paymentLinkId: string | null;
  /** The member who created the request; null for shop-QR and link payments. */
  createdByUserId: string | null;
}

export interface Settlement {
  /** Names the payer's idempotency key: a retry with the same key and input answers the first payment. */
  idempotency: { scope: IdempotencyScope; hash: string };
  terms: PaymentTerms;
  /**
   * Inside the transaction, after the key is claimed and before the wallet
   * is locked: takes (and locks) what this payment uses up — the request's
   * PENDING status, a link's place — or throws, and then no money moves.
   */
  claim?: (tx: Prisma.TransactionClient, now: Date) => Promise<void>;
}

/**
 * Refusals every payment shares: paying one's own business (a member's
 * payment would move money in a circle and hide a refund as a sale), an
 * unknown business, and a payer the user subgraph does not know. Answers the
 * payer's display name and the business as it is now.
 */
export async function checkPayer(
  services: PaymentServices,
  payerUserId: string,
  businessId: string,
  field: string,
  requestId?: string,
): Promise<{ payerDisplayName: string; business: BusinessProfile }> {
  const [membership, users] = await Promise.all([
    services.directory.membership(businessId, payerUserId, requestId),
    services.directory.users([payerUserId], requestId),
  ]);
  if (!membership) throw notFound('Business');
  if (membership.role) throw badUserInput('You cannot pay your own business.', field);
  const payer = users.get(payerUserId);
  if (!payer) throw notFound('User');
  return { payerDisplayName: payer.displayName, business: membership.business };
}

/**
 * Moves a payment's amount from the payer's wallet to the business once,
 * atomically, or not at all — the one money path of every payment source,
 * so that limits, idempotency, the ledger, events (and through them
 * notifications, timelines, reports and live updates) are the same for all.
 *
 * Locks, in the global order: the idempotency key, what `claim` takes, the
 * payer's wallet, one balance shard of the business, one shard of its
 * payment count. Only the payer's wallet
 * is a contended lock that matters: credits to a busy business spread over
 * its shards, so its customers do not queue behind each other.
 */
export async function settlePayment(
  services: PaymentServices,
  payerUserId: string,
  payerDisplayName: string,
  settlement: Settlement,
): Promise<{ payment: Payment; replayed: boolean }> {
  const { terms } = settlement;
  const [wallet, businessAccount, feeAccount] = await Promise.all([
    services.accounts.wallet(payerUserId, terms.currency),
    services.accounts.business(terms.businessId, terms.currency),
    services.accounts.fees(terms.currency),
  ]);

  const outcome = await moneyTransaction(services.store, async (tx): Promise<{ replayedId: string } | { payment: Payment }> => {
    const now = services.now();
    const id = newId('payment');
    const replay = await claimIdempotencyKey(tx, settlement.idempotency.scope, settlement.idempotency.hash, now, { paymentId: id });
    if (replay) return { replayedId: replay.paymentId };
    await settlement.claim?.(tx, now);
    if (!(await debitIfCovered(tx, wallet.id, terms.amount, now))) throw insufficientFunds();
    const feeRateBps = await feeRateOf(tx, terms.businessId, services.config.merchantFeeBps);
    const fee = feeOf(terms.amount, feeRateBps);

    const payment: Payment = {
      id,
      paymentRequestId: terms.paymentRequestId,
      source: terms.source,
      paymentLinkId: terms.paymentLinkId,
      businessId: terms.businessId,
      createdByUserId: terms.createdByUserId,
      payerUserId,
      payerDisplayName,
      amount: terms.amount,
      refundedAmount: 0n,
      fee,
      feeRateBps,
      refundedFee: 0n,
      currency: terms.currency,
      reference: terms.reference,
      status: 'COMPLETED',
      completedAt: now,
    };
    await tx.payment.createMany({ data: payment });
    await postEntry(tx, {
      kind: 'PAYMENT',
      referenceId: id,
      currency: terms.currency,
      createdAt: now,
      // One transaction of three lines (money-out.md): the wallet −amount, the business +net, the platform's FEE +fee.
      lines: [
        { accountId: wallet.id, shard: 0, amount: -terms.amount, applied: true },
        ...(terms.amount > fee ? [{ accountId: businessAccount.id, shard: anyShard(businessAccount.shardCount), amount: terms.amount - fee }] : []),
        ...(fee > 0n ? [{ accountId: feeAccount.id, shard: anyShard(feeAccount.shardCount), amount: fee }] : []),
      ],
    });
    await recordPaymentCompleted(tx, payment, terms.businessName, now);
    // Last, so its row is locked for the shortest time: the unfiltered totalCount of Business.payments.
    await tx.$executeRaw`
      INSERT INTO business_payment_counts (business_id, shard, payments) VALUES (${terms.businessId}, ${anyShard(COUNT_SHARDS)}, 1)
      ON DUPLICATE KEY UPDATE payments = payments + 1`;
    return { payment };
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(terms.businessId), userKey(payerUserId)]);
  if ('payment' in outcome) return { payment: outcome.payment, replayed: false };
  // A replay answers what the first request wrote.
  return { payment: await services.store.payment.findUniqueOrThrow({ where: { id: outcome.replayedId } }), replayed: true };
}

/**
 * `payment.completed` version 2 for every payment, and version 1 beside it
 * for a payment request's (what consumers built before version 2 read; they
 * apply whichever arrives first, and version 2 names its companion so that
 * one applied by an older consumer is not applied again). Drop version 1
 * once no deployed consumer is older than version 2.
 */
async function recordPaymentCompleted(tx: Prisma.TransactionClient, payment: Payment, businessName: string, now: Date): Promise<void> {
  const aggregate = { type: 'payment', id: payment.id };
  const common = {
    paymentId: payment.id,
    businessId: payment.businessId,
    businessName,
    payerUserId: payment.payerUserId,
    payerDisplayName: payment.payerDisplayName,
    amountMinor: payment.amount.toString(),
    currency: payment.currency,
    reference: payment.reference,
    completedAt: now.toISOString(),
  };
  const v1 =
    payment.paymentRequestId && payment.createdByUserId
      ? paymentEvent(paymentCompleted, aggregate, { ...common, paymentRequestId: payment.paymentRequestId, merchantUserId: payment.createdByUserId }, now)
      : null;
  const v2 = paymentEvent(paymentCompletedV2, aggregate, {
    ...common,
    source: payment.source,
    paymentRequestId: payment.paymentRequestId,
    paymentLinkId: payment.paymentLinkId,
    createdByUserId: payment.createdByUserId,
    v1EventId: v1?.id ?? null,
  }, now);
  await writeEvents(tx, v1 ? [v2, v1] : [v2]);
}
