import { paymentRequestCancelled } from '@harbour/events';
import { forbidden, harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { PaymentRequest } from '@harbour/prisma/payment';
import { businessKey } from '@harbour/server';
import { standingOf, userIdOf, type Actor } from '../partners/actor';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { moneyTransaction } from './ledger/transaction';
import { effectiveStatus } from './payment-request-status';

export const notPending = () => harbourError(ErrorCode.PAYMENT_REQUEST_NOT_PENDING, 'Only a pending payment request can be cancelled.');

/**
 * A member of the business withdraws a pending request (a CASHIER: only
 * their own), or a partner's API key of the business does (any of its
 * requests: the key acts for the business); it can no longer be paid.
 */
export async function cancelPaymentRequest(services: PaymentServices, actor: Actor, id: string, requestId?: string): Promise<PaymentRequest> {
  const existing = await services.store.paymentRequest.findUnique({ where: { id } });
  if (!existing) throw notFound('Payment request');
  const membership = await standingOf(services, actor, existing.businessId, requestId);
  if (!membership?.role) throw forbidden('Only members of the business can cancel its payment requests.');
  const userId = userIdOf(actor);
  if (membership.role === 'CASHIER' && existing.createdByUserId !== userId) throw forbidden('A CASHIER can cancel only the payment requests they created.');

  await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const [row] = await tx.$queryRaw<Array<{ status: PaymentRequest['status']; expires_at: Date }>>`
      SELECT status, expires_at FROM payment_requests WHERE id = ${id} FOR UPDATE`;
    if (!row || effectiveStatus({ status: row.status, expiresAt: row.expires_at }, now) !== 'PENDING') throw notPending();
    await tx.paymentRequest.update({ where: { id }, data: { status: 'CANCELLED', cancelledAt: now } });
    await recordEvent(tx, paymentRequestCancelled, { type: 'payment_request', id }, {
      paymentRequestId: id,
      businessId: existing.businessId,
      businessName: existing.businessName,
      createdByUserId: existing.createdByUserId,
      cancelledByUserId: userId,
      cancelledByApiKeyId: actor.kind === 'apiKey' ? actor.apiKeyId : null,
      amountMinor: existing.amount.toString(),
      currency: existing.currency,
      reference: existing.reference,
      expiresAt: existing.expiresAt.toISOString(),
      cancelledAt: now.toISOString(),
    }, now);
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(existing.businessId)]);
  return services.store.paymentRequest.findUniqueOrThrow({ where: { id } });
}
