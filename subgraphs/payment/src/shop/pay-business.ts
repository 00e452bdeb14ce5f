/**
 * The shop's own QR code (merchant.md, "The shop QR"): a static code naming
 * the business, printed once for the counter; the customer types the amount
 * and pays the business directly. Same money rules as every payment
 * (settlePayment): the per-payment limit, idempotency, the ledger and the
 * events that feed notifications, timelines, reports and live updates. Such
 * a payment has no request and no creator: a CASHIER's own-payments view
 * does not include it, `businessPaymentReceived` does.
 */
import type { Payment } from '@harbour/prisma/payment';
import { requestHash } from '../domain/idempotency';
import { checkPayer, settlePayment } from '../domain/settle-payment';
import { checkAmount, checkIdempotencyKey, checkReference, CURRENCY } from '../domain/validation';
import type { PaymentServices } from '../services';

export interface PayBusinessInput {
  businessId: string;
  amount: bigint;
  reference?: string | null;
  idempotencyKey: string;
}

/** A customer pays a business from its shop QR code. NOT_FOUND for an unknown business. */
export async function payBusiness(services: PaymentServices, payerUserId: string, input: PayBusinessInput, requestId?: string): Promise<Payment> {
  const amount = checkAmount(input.amount, services.config.paymentLimitMinor);
  const reference = checkReference(input.reference);
  const scope = { callerId: payerUserId, operation: 'payBusiness', key: checkIdempotencyKey(input.idempotencyKey) };
  const hash = requestHash({ businessId: input.businessId, amount, reference });
  const { payerDisplayName, business } = await checkPayer(services, payerUserId, input.businessId, 'businessId', requestId);
  const { payment } = await settlePayment(services, payerUserId, payerDisplayName, {
    idempotency: { scope, hash },
    terms: {
      source: 'SHOP_QR',
      businessId: business.id,
      businessName: business.name,
      amount,
      currency: CURRENCY,
      reference,
      paymentRequestId: null,
      paymentLinkId: null,
      createdByUserId: null,
    },
  });
  return payment;
}
