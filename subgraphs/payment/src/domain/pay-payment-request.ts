import { harbourError, ErrorCode, notFound } from '@harbour/errors';
import type { Payment, PaymentRequest } from '@harbour/prisma/payment';
import type { PaymentServices } from '../services';
import { requestHash } from './idempotency';
import { checkPayer, settlePayment } from './settle-payment';
import { checkIdempotencyKey } from './validation';

export { insufficientFunds } from './settle-payment';

export const notPayable = () => harbourError(ErrorCode.PAYMENT_REQUEST_NOT_PAYABLE, 'This payment request is paid, expired or cancelled.');

/**
 * The customer pays a merchant's request: its amount, once. The request's
 * PENDING status is what the payment uses up (a guarded update, which also
 * locks it); the money moves as every payment's does (settlePayment).
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
  const { payerDisplayName } = await checkPayer(services, payerUserId, request.businessId, 'paymentRequestId', requestId);

  const { payment, replayed } = await settlePayment(services, payerUserId, payerDisplayName, {
    idempotency: { scope, hash },
    terms: {
      source: 'PAYMENT_REQUEST',
      businessId: request.businessId,
      businessName: request.businessName,
      amount: request.amount,
      currency: request.currency,
      reference: request.reference,
      paymentRequestId: request.id,
      paymentLinkId: null,
      createdByUserId: request.createdByUserId,
    },
    async claim(tx, now) {
      const marked = await tx.$executeRaw`
        UPDATE payment_requests SET status = 'PAID', updated_at = ${now}
        WHERE id = ${request.id} AND status = 'PENDING' AND expires_at > ${now}`;
      if (marked !== 1) throw notPayable();
    },
  });
  // A fresh payment is answered from what was just written; a replay reads what the first request wrote.
  return { payment, paymentRequest: replayed ? null : { ...request, status: 'PAID' } };
}
