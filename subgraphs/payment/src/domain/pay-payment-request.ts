import { paymentCompleted } from '@harbour/events';
import { badUserInput, harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { Payment, PaymentRequest } from '@harbour/prisma/payment';
import { newId } from '@harbour/server';
import type { PaymentServices } from '../services';
import { businessKey, userKey } from '../reports/recent-writes';
import { recordEvent } from './events';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from './idempotency';
import { anyShard, lockWallet, postEntry } from './ledger/journal';
import { moneyTransaction } from './ledger/transaction';
import { effectiveStatus } from './payment-request-status';
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
): Promise<Payment> {
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

  const paymentId = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const replay = await claimIdempotencyKey<{ paymentId: string }>(tx, scope, hash, now);
    if (replay) return replay.paymentId;

    const [locked] = await tx.$queryRaw<Array<{ status: PaymentRequest['status']; expires_at: Date }>>`
      SELECT status, expires_at FROM payment_requests WHERE id = ${request.id} FOR UPDATE`;
    if (!locked || effectiveStatus({ status: locked.status, expiresAt: locked.expires_at }, now) !== 'PENDING') throw notPayable();
    if ((await lockWallet(tx, wallet.id)) < request.amount) throw insufficientFunds();

    const id = newId('payment');
    await tx.paymentRequest.update({ where: { id: request.id }, data: { status: 'PAID' } });
    await tx.payment.create({
      data: {
        id,
        paymentRequestId: request.id,
        businessId: request.businessId,
        payerUserId,
        amount: request.amount,
        currency: request.currency,
        completedAt: now,
      },
    });
    await postEntry(tx, {
      kind: 'PAYMENT',
      referenceId: id,
      currency: request.currency,
      createdAt: now,
      lines: [
        { accountId: wallet.id, shard: 0, amount: -request.amount },
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
    await recordIdempotentResponse(tx, scope, { paymentId: id });
    return id;
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(request.businessId), userKey(payerUserId)]);
  return services.store.payment.findUniqueOrThrow({ where: { id: paymentId } });
}
