/**
 * Loads many payments straight into a payment store, for the search plan
 * test and `npm run bench:payments-search`: one INSERT ... SELECT per batch
 * over a generated sequence (a cross join of digits, which MySQL 8 and
 * MariaDB both run; no sequence engine, no recursion limit). Rows mix what a
 * real shop has: sources 70/20/10 (request, shop QR, link), one in 20
 * partly and one in 50 fully refunded, ten cashiers as creators of the
 * request payments, amounts HK$1.00–1,000.99, references `INV-<n>` on
 * request payments, one payment every `spacingSeconds` back from `newest`.
 * No payment_requests rows are written (the payments' request ids are null):
 * the search reads the payments table alone.
 */
import type { PaymentStore } from '@harbour/prisma/payment';

export const BULK_CASHIERS = Array.from({ length: 10 }, (_, i) => `usr_bulkcashier${String(i).padStart(2, '0')}`);

export interface BulkOptions {
  businessId: string;
  count: number;
  /** The newest payment's completed_at; the others go back from it. */
  newest: Date;
  spacingSeconds?: number;
  /** Rows per INSERT (each its own transaction): a power of ten. */
  batch?: number;
  /** Ids are `pay_` + this tag + the row number: keep it short and unique per business. */
  tag: string;
}

const DIGITS = '(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';

export async function bulkLoadPayments(store: Pick<PaymentStore, '$executeRawUnsafe'>, options: BulkOptions): Promise<void> {
  const spacing = options.spacingSeconds ?? 30;
  const batch = options.batch ?? 100_000;
  const levels = Math.round(Math.log10(batch));
  if (10 ** levels !== batch) throw new Error('batch: a power of ten');
  const tables = Array.from({ length: levels }, (_, i) => `${DIGITS} d${i}`).join(', ');
  const sum = Array.from({ length: levels }, (_, i) => `${10 ** i} * d${i}.d`).join(' + ');
  if (!/^[a-z0-9]{1,8}$/.test(options.tag)) throw new Error('tag: 1 to 8 lower-case letters and digits');
  if (!/^biz_[A-Za-z0-9]+$/.test(options.businessId)) throw new Error('businessId: biz_ and letters or digits');
  const newest = options.newest.toISOString().replace('T', ' ').replace('Z', '');
  const cashiers = BULK_CASHIERS.map((id) => `'${id}'`).join(', ');
  for (let start = 0; start < options.count; start += batch) {
    const size = Math.min(batch, options.count - start);
    // n = start .. start + batch - 1, cut to the count.
    const sql = `
      INSERT INTO payments (id, payment_request_id, source, payment_link_id, business_id, created_by_user_id, payer_user_id, payer_display_name,
                            amount, refunded_amount, currency, reference, status, completed_at)
      SELECT CONCAT('pay_', '${options.tag}', LPAD(n, 12, '0')), NULL,
             CASE WHEN n % 10 < 7 THEN 'PAYMENT_REQUEST' WHEN n % 10 < 9 THEN 'SHOP_QR' ELSE 'PAYMENT_LINK' END,
             NULL, '${options.businessId}',
             CASE WHEN n % 10 < 7 THEN ELT(1 + (n DIV 10) % 10, ${cashiers}) ELSE NULL END,
             CONCAT('usr_bulkpayer', n % 5000), 'Bulk payer',
             100 + (n * 7919) % 100000, 0, 'HKD',
             CASE WHEN n % 10 < 7 THEN CONCAT('INV-', n) ELSE NULL END,
             CASE WHEN n % 50 = 0 THEN 'REFUNDED' WHEN n % 20 = 0 THEN 'PARTIALLY_REFUNDED' ELSE 'COMPLETED' END,
             TIMESTAMP('${newest}') - INTERVAL (n * ${spacing}) SECOND
      FROM (SELECT ${start} + ${sum} AS n FROM ${tables}) seq
      WHERE n < ${start + size}`;
    await store.$executeRawUnsafe(sql);
  }
  // The kept count, as the payments' own transactions would have left it.
  await store.$executeRawUnsafe(`
    INSERT INTO business_payment_counts (business_id, shard, payments) VALUES ('${options.businessId}', 0, ${options.count})
    ON DUPLICATE KEY UPDATE payments = payments + VALUES(payments)`);
  await store.$executeRawUnsafe('ANALYZE TABLE payments');
}
