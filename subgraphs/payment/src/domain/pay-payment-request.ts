import { paymentCompleted } from '@harbour/events';
import { badUserInput, harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { Payment, PaymentRequest } from '@harbour/prisma/payment';
import { businessKey, newId, userKey } from '@harbour/server';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { claimIdempotencyKey, requestHash } from './idempotency';
import { anyShard, debitIfCovered, postEntry } from './ledger/journal';
import { moneyTransaction } from './ledger/transaction';
import { checkIdempotencyKey } from './validation';

export const notPayable = () => harbourError(ErrorCode.PAYMENT_REQUEST_NOT_PAYABLE, 'This payment request is paid, expired or cancelled.');
export const insufficientFunds = () => harbourError(ErrorCode.INSUFFICIENT_FUNDS, 'The wallet holds less than the amount.');

/**
 * The customer pays a merchant's request: the amount leaves the payer's
 * wallet and reaches the business once, atomically, or not at all.
 *
 * Locks, in the global order: the idempotency key, the request, the payer's
 * wallet, one balance shard of the business. Only the payer's wallet is a
 * contended lock that matters: credits to a busy business spread over its
 * shards, so its customers do not queue behind each other.
 */
export async function payPaymentRequest(
  services: PaymentServices,
  payerUserId: string,
  input: { paymentRequestId: string; idempotencyKey: string },
  requestId?: string,
): Promise<{ payment: Payment; paymentRequest: PaymentRequest | null }> {
  const scope = { callerId: payerUserId, operation: 'payPaymentRequest', key: checkIdempotencyKey(input.idempotencyKey) };
  const hash = requestHash({ paymentRequestId: input.paymentRequestId });
  const request = await services.store.paymentRequest.findUnique({ where: { id: input.paymentRequestId } });
  if (!request) throw notFound('Payment request');

  const [membership, users] = await Promise.all([
    services.directory.membership(request.businessId, payerUserId, requestId),
    services.directory.users([payerUserId], requestId),
  ]);
  if (membership?.role) throw badUserInput("You cannot pay your own business's payment request.", 'paymentRequestId');
  const payer = users.get(payerUserId);
  if (!payer) throw notFound('User');
  const payerDisplayName = payer.displayName;
  const [wallet, businessAccount] = await Promise.all([
    services.accounts.wallet(payerUserId, request.currency),
    services.accounts.business(request.businessId, request.currency),
  ]);

  const outcome = await moneyTransaction(services.store, async (tx): Promise<{ replayedId: string } | { payment: Payment }> => {
    const now = services.now();
    const id = newId('payment');
    const replay = await claimIdempotencyKey(tx, scope, hash, now, { paymentId: id });
    if (replay) return { replayedId: replay.paymentId };

    // Guarded updates: each checks and changes (and locks) its row in one statement.
    const marked = await tx.$executeRaw`
      UPDATE payment_requests SET status = 'PAID', updated_at = ${now}
      WHERE id = ${request.id} AND status = 'PENDING' AND expires_at > ${now}`;
    if (marked !== 1) throw notPayable();
    if (!(await debitIfCovered(tx, wallet.id, request.amount, now))) throw insufficientFunds();

    const payment: Payment = {
      id,
      paymentRequestId: request.id,
      businessId: request.businessId,
      payerUserId,
      payerDisplayName,
      amount: request.amount,
      refundedAmount: 0n,
      currency: request.currency,
      status: 'COMPLETED',
      completedAt: now,
    };
    await tx.payment.createMany({ data: payment });
    await postEntry(tx, {
      kind: 'PAYMENT',
      referenceId: id,
      currency: request.currency,
      createdAt: now,
      lines: [
        { accountId: wallet.id, shard: 0, amount: -request.amount, applied: true },
        { accountId: businessAccount.id, shard: anyShard(businessAccount.shardCount), amount: request.amount },
      ],
    });
    await recordEvent(tx, paymentCompleted, { type: 'payment', id }, {
      paymentId: id,
      paymentRequestId: request.id,
      businessId: request.businessId,
      businessName: request.businessName,
      merchantUserId: request.createdByUserId,
      payerUserId,
      payerDisplayName,
      amountMinor: request.amount.toString(),
      currency: request.currency,
      reference: request.reference,
      completedAt: now.toISOString(),
    }, now);
    return { payment };
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(request.businessId), userKey(payerUserId)]);
  // A fresh payment is answered from what was just written; a replay reads what the first request wrote.
  if ('payment' in outcome) return { payment: outcome.payment, paymentRequest: { ...request, status: 'PAID' } };
  const payment = await services.store.payment.findUniqueOrThrow({ where: { id: outcome.replayedId } });
  return { payment, paymentRequest: null };
}
