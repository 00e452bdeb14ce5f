import { paymentRefunded, paymentRefundedV2 } from '@harbour/events';
import { forbidden, harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { Refund } from '@harbour/prisma/payment';
import { businessKey, newId, userKey } from '@harbour/server';
import { idempotencyCallerOf, madeBy, standingOf, userIdOf, type Actor } from '../partners/actor';
import type { PaymentServices } from '../services';
import { paymentEvent, writeEvents } from './events';
import { claimIdempotencyKey, requestHash } from './idempotency';
import { anyShard, debitAcrossShards, lockAllShards, lockWallet, postEntry } from './ledger/journal';
import { refundShares } from '../fees/rules';
import { moneyTransaction } from './ledger/transaction';
import { checkAmount, checkIdempotencyKey, checkReason } from './validation';

export const refundExceedsPayment = () =>
  harbourError(ErrorCode.REFUND_EXCEEDS_PAYMENT, 'Refunds of a payment can never add up to more than the payment.');

export interface RefundPaymentInput {
  paymentId: string;
  amount: bigint;
  idempotencyKey: string;
  reason?: string | null;
}

/**
 * An OWNER or MANAGER of the business (merchant.md: a CASHIER may not), or a
 * partner's API key of it with `refunds:write`, gives money back to the payer's wallet, never
 * more than the payment minus what was refunded already.
 *
 * Locks, in the global order: the key, the payment, the payer's wallet, then
 * every shard of the business's account (a refund must see its whole
 * balance; refunds are rare, payments are not).
 */
export async function refundPayment(services: PaymentServices, actor: Actor, input: RefundPaymentInput, requestId?: string): Promise<Refund> {
  const amount = checkAmount(input.amount, services.config.paymentLimitMinor);
  const reason = checkReason(input.reason);
  const scope = { callerId: idempotencyCallerOf(actor), operation: 'refundPayment', key: checkIdempotencyKey(input.idempotencyKey) };
  const userId = userIdOf(actor);
  const hash = requestHash({ paymentId: input.paymentId, amount, reason });

  const payment = await services.store.payment.findUnique({ where: { id: input.paymentId } });
  if (!payment) throw notFound('Payment');
  const membership = await standingOf(services, actor, payment.businessId, requestId);
  if (membership?.role !== 'OWNER' && membership?.role !== 'MANAGER' && membership?.role !== 'API_KEY') {
    // A cashier, or the payer, knows this payment exists; anyone else must not learn that it does.
    if (membership?.role || payment.payerUserId === userId) throw forbidden('Only an OWNER or a MANAGER of the business can refund.');
    throw notFound('Payment');
  }
  const [wallet, businessAccount, feeAccount] = await Promise.all([
    services.accounts.wallet(payment.payerUserId, payment.currency),
    services.accounts.business(payment.businessId, payment.currency),
    services.accounts.fees(payment.currency),
  ]);

  const refundId = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const id = newId('refund');
    const replay = await claimIdempotencyKey(tx, scope, hash, now, { refundId: id });
    if (replay) return replay.refundId;

    const [locked] = await tx.$queryRaw<Array<{ amount: bigint; refunded_amount: bigint; fee: bigint; refunded_fee: bigint }>>`
      SELECT amount, refunded_amount, fee, refunded_fee FROM payments WHERE id = ${payment.id} FOR UPDATE`;
    const refundedBefore = BigInt(locked!.refunded_amount);
    const refundedAfter = refundedBefore + amount;
    if (refundedAfter > BigInt(locked!.amount)) throw refundExceedsPayment();
    // The business gives back its net share, the FEE account the fee's (fees/rules.ts).
    const shares = refundShares({ amount: BigInt(locked!.amount), fee: BigInt(locked!.fee) }, refundedBefore, amount);
    await lockWallet(tx, wallet.id);
    const businessShards = await lockAllShards(tx, businessAccount.id);
    if (businessShards.reduce((sum, shard) => sum + shard.balance, 0n) < shares.net) {
      throw harbourError(ErrorCode.INSUFFICIENT_FUNDS, 'The business’s available balance cannot cover this refund.');
    }

    const status = refundedAfter === payment.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    await tx.payment.update({ where: { id: payment.id }, data: { refundedAmount: refundedAfter, refundedFee: BigInt(locked!.refunded_fee) + shares.fee, status } });
    await tx.refund.createMany({
      data: { id, paymentId: payment.id, businessId: payment.businessId, ...madeBy(actor), amount, fee: shares.fee, currency: payment.currency, reason, createdAt: now },
    });
    await postEntry(tx, {
      kind: 'REFUND',
      referenceId: id,
      currency: payment.currency,
      createdAt: now,
      lines: [
        ...(shares.net > 0n ? debitAcrossShards(businessAccount.id, businessShards, shares.net) : []),
        // Any shard of the platform's FEE account: its total never goes below zero (it gives back only fees it took).
        ...(shares.fee > 0n ? [{ accountId: feeAccount.id, shard: anyShard(feeAccount.shardCount), amount: -shares.fee }] : []),
        { accountId: wallet.id, shard: 0, amount },
      ],
    });
    const refunded = {
      refundId: id,
      paymentId: payment.id,
      businessId: payment.businessId,
      businessName: membership.business.name,
      payerUserId: payment.payerUserId,
      refundedByUserId: userId,
      refundedByApiKeyId: actor.kind === 'apiKey' ? actor.apiKeyId : null,
      amountMinor: amount.toString(),
      refundedTotalMinor: refundedAfter.toString(),
      paymentAmountMinor: payment.amount.toString(),
      paymentStatus: status,
      currency: payment.currency,
      reason,
      createdAt: now.toISOString(),
      paymentReference: payment.reference,
      paymentCompletedAt: payment.completedAt.toISOString(),
    } as const;
    const aggregate = { type: 'payment', id: payment.id };
    // Version 1 beside version 2 for a payment request's payment, named by it, as for payment.completed (settle-payment.ts).
    const v1 = payment.paymentRequestId ? paymentEvent(paymentRefunded, aggregate, { ...refunded, paymentRequestId: payment.paymentRequestId }, now) : null;
    const v2 = paymentEvent(paymentRefundedV2, aggregate, { ...refunded, source: payment.source, paymentRequestId: payment.paymentRequestId, v1EventId: v1?.id ?? null }, now);
    await writeEvents(tx, v1 ? [v2, v1] : [v2]);
    return id;
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(payment.businessId), userKey(payment.payerUserId)]);
  return services.store.refund.findUniqueOrThrow({ where: { id: refundId } });
}
