import DataLoader from 'dataloader';
import type { Payment, PaymentLink, PaymentRequest, Refund, Transfer } from '@harbour/prisma/payment';
import { Prisma } from '@harbour/prisma/payment';
import { loaderByKey, type SubgraphContext } from '@harbour/server';
import type { BusinessRole } from './directory/directory';
import type { PaymentServices } from './services';

export interface PaymentContext extends SubgraphContext {
  services: PaymentServices;
  paymentRequests: DataLoader<string, PaymentRequest | null>;
  payments: DataLoader<string, Payment | null>;
  paymentsByRequest: DataLoader<string, Payment | null>;
  paymentLinks: DataLoader<string, PaymentLink | null>;
  refunds: DataLoader<string, Refund | null>;
  transfers: DataLoader<string, Transfer | null>;
  /** HKD wallet balances by owning user id (zero before any money moved). */
  walletBalances: DataLoader<string, bigint>;
  /** The caller's role in each business asked about (null: not a member), for reading: see MembershipCache. */
  callerRoles: DataLoader<string, BusinessRole | null>;
}

/** Fresh loaders per request: one SQL query (or one internal call) per batch. */
export function paymentContext(services: PaymentServices) {
  const { store } = services;
  return (base: SubgraphContext): PaymentContext => {
    const callerId = base.identity.kind === 'user' ? base.identity.userId : null;
    return {
      ...base,
      services,
      paymentRequests: loaderByKey((ids) => store.paymentRequest.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
      payments: loaderByKey((ids) => store.payment.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
      paymentsByRequest: loaderByKey((ids) => store.payment.findMany({ where: { paymentRequestId: { in: [...ids] } } }), (row) => row.paymentRequestId ?? ''),
      paymentLinks: loaderByKey((ids) => store.paymentLink.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
      refunds: loaderByKey((ids) => store.refund.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
      transfers: loaderByKey((ids) => store.transfer.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
      walletBalances: new DataLoader<string, bigint>(async (userIds) => {
        const rows = await store.$queryRaw<Array<{ owner_id: string; balance: bigint }>>`
          SELECT a.owner_id, SUM(b.balance) AS balance
          FROM accounts a JOIN account_balances b ON b.account_id = a.id
          WHERE a.type = 'WALLET' AND a.currency = 'HKD' AND a.owner_id IN (${Prisma.join([...userIds])})
          GROUP BY a.owner_id`;
        const byOwner = new Map(rows.map((row) => [row.owner_id, BigInt(row.balance)]));
        return userIds.map((id) => byOwner.get(id) ?? 0n);
      }),
      callerRoles: new DataLoader<string, BusinessRole | null>(async (businessIds) =>
        Promise.all(businessIds.map((businessId) => (callerId ? services.memberships.role(businessId, callerId, base.requestId) : null))),
      ),
    };
  };
}
