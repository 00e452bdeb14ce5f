import { paymentRequestExpired } from '@harbour/events';
import type { PaymentServices } from '../services';
import { recordEvent } from './events';
import { moneyTransaction } from './ledger/transaction';

/**
 * Marks pending requests past their expiry EXPIRED, with their events, a
 * batch at a time. Clients already see them as EXPIRED (effectiveStatus);
 * this makes it durable and tells the rest of the system.
 */
export async function expirePaymentRequests(services: PaymentServices, batchSize = 200): Promise<number> {
  const expired = await moneyTransaction(services.store, async (tx) => {
    const now = services.now();
    const due = await tx.$queryRaw<
      Array<{ id: string; business_id: string; business_name: string; created_by_user_id: string; amount: bigint; currency: string; reference: string | null; expires_at: Date }>
    >`
      SELECT id, business_id, business_name, created_by_user_id, amount, currency, reference, expires_at FROM payment_requests
      WHERE status = 'PENDING' AND expires_at <= ${now}
      ORDER BY expires_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return 0;
    await tx.paymentRequest.updateMany({ where: { id: { in: due.map((row) => row.id) }, status: 'PENDING' }, data: { status: 'EXPIRED' } });
    for (const row of due) {
      await recordEvent(tx, paymentRequestExpired, { type: 'payment_request', id: row.id }, {
        paymentRequestId: row.id,
        businessId: row.business_id,
        businessName: row.business_name,
        createdByUserId: row.created_by_user_id,
        amountMinor: BigInt(row.amount).toString(),
        currency: row.currency,
        reference: row.reference,
        expiresAt: row.expires_at.toISOString(),
        expiredAt: now.toISOString(),
      }, now);
    }
    return due.length;
  });
  if (expired > 0) services.eventsWritten();
  return expired;
}
