import type { PaymentRequest, PaymentRequestStatus } from '@harbour/prisma/payment';

/**
 * A pending request past its expiry is EXPIRED, whether or not the sweep
 * has marked it yet: what clients see never depends on the sweep's timing.
 */
export function effectiveStatus(request: Pick<PaymentRequest, 'status' | 'expiresAt'>, now: Date): PaymentRequestStatus {
  return request.status === 'PENDING' && request.expiresAt <= now ? 'EXPIRED' : request.status;
}
