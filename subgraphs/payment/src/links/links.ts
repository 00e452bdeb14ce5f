import { notFound } from '@harbour/errors';
import type { Payment, PaymentLink, PaymentStore } from '@harbour/prisma/payment';
import { businessKey, newId } from '@harbour/server';
import { claimIdempotencyKey, requestHash } from '../domain/idempotency';
import { moneyTransaction } from '../domain/ledger/transaction';
import { checkPayer, settlePayment } from '../domain/settle-payment';
import { checkIdempotencyKey, CURRENCY } from '../domain/validation';
import { checkFirst, newestFirstPage, NEWEST_FIRST, olderThan, type Page } from '../reports/connection';
import { idempotencyCallerOf, madeBy, standingOf, type Actor } from '../partners/actor';
import type { PaymentServices } from '../services';
import { amountToPay, checkLinkTerms, effectiveLinkStatus, linkNotPayable, mayManageLinks, mayNotManageLinks } from './rules';

export interface CreatePaymentLinkInput {
  businessId: string;
  amount?: bigint | null;
  description: string;
  maxPayments?: number | null;
  expiresAt?: Date | null;
  idempotencyKey?: string | null;
}

/** An OWNER or MANAGER (or a partner's API key of the business) makes a link; with an idempotency key, a retry answers the same link. */
export async function createPaymentLink(services: PaymentServices, actor: Actor, input: CreatePaymentLinkInput, requestId?: string): Promise<PaymentLink> {
  const terms = checkLinkTerms(input, services.config.paymentLimitMinor, services.now());
  const key = input.idempotencyKey ? checkIdempotencyKey(input.idempotencyKey) : null;
  const membership = await standingOf(services, actor, input.businessId, requestId);
  if (!membership) throw notFound('Business');
  if (!mayManageLinks(membership.role)) throw mayNotManageLinks();
  const { business } = membership;

  const scope = key ? { callerId: idempotencyCallerOf(actor), operation: 'createPaymentLink', key } : null;
  const hash = requestHash({ businessId: business.id, ...terms });
  const id = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const id = newId('paymentLink');
    if (scope) {
      const replay = await claimIdempotencyKey(tx, scope, hash, now, { paymentLinkId: id });
      if (replay) return replay.paymentLinkId;
    }
    await tx.paymentLink.createMany({
      data: {
        id,
        businessId: business.id,
        ...madeBy(actor),
        amount: terms.amount,
        currency: CURRENCY,
        description: terms.description,
        maxPayments: terms.maxPayments,
        businessName: business.name,
        businessCity: business.city,
        merchantCategoryCode: business.merchantCategoryCode,
        expiresAt: terms.expiresAt,
        createdAt: now,
      },
    });
    return id;
  });
  await services.recentWrites.note([businessKey(business.id)]);
  return services.store.paymentLink.findUniqueOrThrow({ where: { id } });
}

/**
 * Records EXPIRED on a link read or paid after its expiry (a guarded update:
 * it never overwrites INACTIVE or COMPLETED), so the stored status and
 * lists agree with what readers are told, without waiting for a sweep.
 */
export async function noteExpiry(store: PaymentStore, link: PaymentLink, now: Date): Promise<PaymentLink> {
  if (effectiveLinkStatus(link, now) !== 'EXPIRED' || link.status === 'EXPIRED') return link;
  await store.$executeRaw`
    UPDATE payment_links SET status = 'EXPIRED', updated_at = ${now}
    WHERE id = ${link.id} AND status = 'ACTIVE' AND expires_at <= ${now}`;
  return { ...link, status: 'EXPIRED' };
}

/**
 * A payer pays a link: its amount or theirs, once per idempotency key. The
 * link's place is what the payment uses up: one guarded update takes it
 * (and locks the row) only while the link is ACTIVE, unexpired and under
 * `maxPayments`, and makes it COMPLETED when it takes the last place. Payers
 * racing for the last place queue on that row; the first commits, every
 * other finds it taken and moves no money.
 */
export async function payPaymentLink(
  services: PaymentServices,
  payerUserId: string,
  input: { paymentLinkId: string; amount?: bigint | null; idempotencyKey: string },
  requestId?: string,
): Promise<Payment> {
  const scope = { callerId: payerUserId, operation: 'payPaymentLink', key: checkIdempotencyKey(input.idempotencyKey) };
  const link = await services.store.paymentLink.findUnique({ where: { id: input.paymentLinkId } });
  if (!link) throw notFound('Payment link');
  const amount = amountToPay(link, input.amount, services.config.paymentLimitMinor);
  const hash = requestHash({ paymentLinkId: link.id, amount });
  // No status check here: a retry of a payment that completed the link, or was made before it
  // expired, must answer that payment. The key is claimed first; `claim` refuses a new payment.
  const { payerDisplayName } = await checkPayer(services, payerUserId, link.businessId, 'paymentLinkId', requestId);

  try {
    const { payment } = await settlePayment(services, payerUserId, payerDisplayName, {
      idempotency: { scope, hash },
      terms: {
        source: 'PAYMENT_LINK',
        businessId: link.businessId,
        businessName: link.businessName,
        amount,
        currency: link.currency,
        reference: null,
        paymentRequestId: null,
        paymentLinkId: link.id,
        createdByUserId: null,
      },
      async claim(tx, now) {
        // `status` is assigned first: it reads payment_count before the increment on MySQL and MariaDB alike.
        const taken = await tx.$executeRaw`
          UPDATE payment_links
          SET status = IF(max_payments IS NOT NULL AND payment_count + 1 >= max_payments, 'COMPLETED', status),
              payment_count = payment_count + 1,
              updated_at = ${now}
          WHERE id = ${link.id} AND status = 'ACTIVE'
            AND (expires_at IS NULL OR expires_at > ${now})
            AND (max_payments IS NULL OR payment_count < max_payments)`;
        if (taken !== 1) throw linkNotPayable(await currentStatus(tx, link.id, now));
      },
    });
    return payment;
  } catch (error) {
    // Refused because it expired meanwhile: record that (the transaction that found it rolled back).
    await noteExpiry(services.store, link, services.now());
    throw error;
  }
}

async function currentStatus(tx: Pick<PaymentStore, '$queryRaw'>, id: string, now: Date) {
  const [row] = await tx.$queryRaw<Array<{ status: PaymentLink['status']; expires_at: Date | null }>>`
    SELECT status, expires_at FROM payment_links WHERE id = ${id}`;
  return row ? effectiveLinkStatus({ status: row.status, expiresAt: row.expires_at }, now) : 'INACTIVE';
}

/** An OWNER or MANAGER stops a link being paid; an inactive (or expired, or completed) link is answered as it is. */
export async function deactivatePaymentLink(services: PaymentServices, userId: string, id: string, requestId?: string): Promise<PaymentLink> {
  const link = await services.store.paymentLink.findUnique({ where: { id } });
  if (!link) throw notFound('Payment link');
  const membership = await services.directory.membership(link.businessId, userId, requestId);
  if (!membership?.role) throw notFound('Payment link');
  if (!mayManageLinks(membership.role)) throw mayNotManageLinks();
  const now = services.now();
  await services.store.$executeRaw`
    UPDATE payment_links SET status = 'INACTIVE', deactivated_at = ${now}, updated_at = ${now}
    WHERE id = ${id} AND status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > ${now})`;
  await services.recentWrites.note([businessKey(link.businessId)]);
  return noteExpiry(services.store, await services.store.paymentLink.findUniqueOrThrow({ where: { id } }), now);
}

/** A business's links, newest first by (created_at, id). The caller checks the reader may see them. */
export async function listPaymentLinks(store: PaymentStore, businessId: string, first: number | null | undefined, after: string | null | undefined): Promise<Page<PaymentLink>> {
  const limit = checkFirst(first);
  const older = olderThan(after);
  const rows = await store.paymentLink.findMany({ where: { businessId, ...older }, orderBy: NEWEST_FIRST, take: limit + 1 });
  return newestFirstPage(rows, limit);
}
