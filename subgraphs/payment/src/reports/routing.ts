import type { PaymentStore } from '@harbour/prisma/payment';
import type { PaymentServices } from '../services';

/**
 * The store a reporting read about `key` should use: the replica, unless
 * there is none or `key` was written to recently (read-your-writes: a
 * merchant who has just been told of a payment sees it on the dashboard).
 */
export async function reportingStoreFor(services: PaymentServices, key: string): Promise<PaymentStore> {
  if (services.reportingStore === services.store) return services.store;
  return (await services.recentWrites.isRecent(key)) ? services.store : services.reportingStore;
}
