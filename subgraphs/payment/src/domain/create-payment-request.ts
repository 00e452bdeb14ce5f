import { paymentRequestCreated } from '@harbour/events';
import { forbidden, notFound } from '@harbour/errors';
import type { PaymentRequest } from '@harbour/prisma/payment';
import { businessKey, newId } from '@harbour/server';
import { idempotencyCallerOf, madeBy, standingOf, type Actor } from '../partners/actor';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { claimIdempotencyKey, requestHash } from './idempotency';
import { moneyTransaction } from './ledger/transaction';
import { checkAmount, checkExpiresIn, checkIdempotencyKey, checkReference, CURRENCY } from './validation';

export interface CreatePaymentRequestInput {
  businessId: string;
  amount: bigint;
  reference?: string | null;
  expiresInSeconds?: number | null;
  idempotencyKey?: string | null;
}

/**
 * A member of the business (any role, as the business subgraph says now) or
 * a partner's API key of it asks for an amount. The business's name, city
 * and category are snapshotted into the request: they are what its QR code
 * prints. With an idempotency key, a merchant's retry gets the same request,
 * not a second QR.
 */
export async function createPaymentRequest(services: PaymentServices, actor: Actor, input: CreatePaymentRequestInput, requestId?: string): Promise<PaymentRequest> {
  const amount = checkAmount(input.amount, services.config.paymentLimitMinor);
  const reference = checkReference(input.reference);
  const expiresInSeconds = checkExpiresIn(input.expiresInSeconds);
  const key = input.idempotencyKey ? checkIdempotencyKey(input.idempotencyKey) : null;

  const membership = await standingOf(services, actor, input.businessId, requestId);
  if (!membership) throw notFound('Business');
  if (!membership.role) throw forbidden('Only members of this business can ask for payments.');
  const { business } = membership;
  const creator = madeBy(actor);

  const scope = key ? { callerId: idempotencyCallerOf(actor), operation: 'createPaymentRequest', key } : null;
  const hash = requestHash({ businessId: input.businessId, amount, reference, expiresInSeconds });
  const id = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const id = newId('paymentRequest');
    if (scope) {
      const replay = await claimIdempotencyKey(tx, scope, hash, now, { paymentRequestId: id });
      if (replay) return replay.paymentRequestId;
    }
    const expiresAt = new Date(now.getTime() + expiresInSeconds * 1000);
    await tx.paymentRequest.createMany({
      data: {
        id,
        businessId: business.id,
        ...creator,
        amount,
        currency: CURRENCY,
        reference,
        businessName: business.name,
        businessCity: business.city,
        merchantCategoryCode: business.merchantCategoryCode,
        expiresAt,
        createdAt: now,
      },
    });
    await recordEvent(tx, paymentRequestCreated, { type: 'payment_request', id }, {
      paymentRequestId: id,
      businessId: business.id,
      businessName: business.name,
      businessCity: business.city,
      merchantCategoryCode: business.merchantCategoryCode,
      ...creator,
      amountMinor: amount.toString(),
      currency: CURRENCY,
      reference,
      expiresAt: expiresAt.toISOString(),
      createdAt: now.toISOString(),
    }, now);
    return id;
  });
  services.eventsWritten();
  await services.recentWrites.note([businessKey(business.id)]);
  return services.store.paymentRequest.findUniqueOrThrow({ where: { id } });
}
