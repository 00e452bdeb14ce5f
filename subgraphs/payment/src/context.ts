import type DataLoader from 'dataloader';
import type { Account, Payment, PaymentRequest, PaymentStore, Refund, Transfer } from '@harbour/prisma/payment';
import { loaderByKey, type SubgraphContext } from '@harbour/server';

export interface PaymentContext extends SubgraphContext {
  store: PaymentStore;
  paymentRequests: DataLoader<string, PaymentRequest | null>;
  payments: DataLoader<string, Payment | null>;
  refunds: DataLoader<string, Refund | null>;
  transfers: DataLoader<string, Transfer | null>;
  /** HKD wallet accounts by owning user id (null: no money has moved yet). */
  walletsByUser: DataLoader<string, Account | null>;
}

/** Fresh loaders per request: one SQL query per batch of entity references. */
export function paymentContext(store: PaymentStore) {
  return (base: SubgraphContext): PaymentContext => ({
    ...base,
    store,
    paymentRequests: loaderByKey((ids) => store.paymentRequest.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    payments: loaderByKey((ids) => store.payment.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    refunds: loaderByKey((ids) => store.refund.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    transfers: loaderByKey((ids) => store.transfer.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    walletsByUser: loaderByKey(
      (userIds) => store.account.findMany({ where: { type: 'WALLET', currency: 'HKD', ownerId: { in: [...userIds] } } }),
      (row) => row.ownerId ?? '',
    ),
  });
}
