import type { Payment as StoredPayment, PaymentRequest as StoredRequest, Refund as StoredRefund, Transfer as StoredTransfer } from '@harbour/prisma/payment';
import { forbidden } from '@harbour/errors';
import { businessKey, isSelf, readStoreFor, requireSelf } from '@harbour/server';
import type { PaymentContext } from '../context';
import { effectiveStatus } from '../domain/payment-request-status';
import { money } from '../money';
import { qrPayloadOf, qrSvgOf } from '../domain/qr';
import { listPayments, salesSummary } from '../reports/sales';
import { walletIdOf, walletOwnerOf } from '../wallet-id';
import { canSeePayment, requireMember } from './access';

const userRef = (id: string) => ({ __typename: 'User', id });
const businessRef = (id: string) => ({ __typename: 'Business', id });

/** A wallet as resolvers pass it: its owner, and the balance a top-up answered with, if any. */
export interface WalletParent {
  id: string;
  ownerId: string;
  balanceMinor?: bigint;
}

export const User = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  wallet(user: { id: string }, _args: unknown, context: PaymentContext): WalletParent {
    requireSelf(context.identity, user.id);
    return { id: walletIdOf(user.id), ownerId: user.id };
  },
};

export const Wallet = {
  __resolveReference(reference: { id: string }, context: PaymentContext): WalletParent | null {
    const ownerId = walletOwnerOf(reference.id);
    // Someone else's wallet does not exist, as far as the caller can tell.
    return ownerId && isSelf(context.identity, ownerId) ? { id: reference.id, ownerId } : null;
  },
  async balance(wallet: WalletParent, _args: unknown, context: PaymentContext) {
    return money(wallet.balanceMinor ?? (await context.walletBalances.load(wallet.ownerId)), 'HKD');
  },
};

export const Business = {
  async salesSummary(business: { id: string }, args: { from: Date; to: Date }, context: PaymentContext) {
    await requireMember(context, business.id);
    const store = await readStoreFor(context.services.store, context.services.replica, businessKey(business.id));
    const summary = await salesSummary(store, business.id, args.from, args.to);
    return {
      count: summary.count,
      gross: money(summary.grossMinor, summary.currency),
      refunded: money(summary.refundedMinor, summary.currency),
      net: money(summary.netMinor, summary.currency),
    };
  },
  async payments(business: { id: string }, args: { first?: number | null; after?: string | null }, context: PaymentContext) {
    await requireMember(context, business.id);
    const store = await readStoreFor(context.services.store, context.services.replica, businessKey(business.id));
    const page = await listPayments(store, business.id, args.first, args.after);
    for (const edge of page.edges) context.payments.prime(edge.node.id, edge.node);
    return page;
  },
};

export const PaymentRequest = {
  __resolveReference: (reference: { id: string }, context: PaymentContext) => context.paymentRequests.load(reference.id),
  status: (row: StoredRequest, _args: unknown, context: PaymentContext) => effectiveStatus(row, context.services.now()),
  amount: (row: StoredRequest) => money(row.amount, row.currency),
  qrPayload: (row: StoredRequest) => qrPayloadOf(row),
  qrSvg: (row: StoredRequest) => qrSvgOf(row),
  business: (row: StoredRequest) => ({ ...businessRef(row.businessId), name: row.businessName }),
  async payment(row: StoredRequest, _args: unknown, context: PaymentContext) {
    const payment = await context.paymentsByRequest.load(row.id);
    if (!payment) return null;
    if (!(await canSeePayment(context, payment))) throw forbidden('Only the payer and the business can see this payment.');
    return payment;
  },
};

export const Payment = {
  async __resolveReference(reference: { id: string }, context: PaymentContext) {
    const payment = await context.payments.load(reference.id);
    return payment && (await canSeePayment(context, payment)) ? payment : null;
  },
  amount: (row: StoredPayment) => money(row.amount, row.currency),
  refundedAmount: (row: StoredPayment) => money(row.refundedAmount, row.currency),
  payer: (row: StoredPayment) => ({ ...userRef(row.payerUserId), displayName: row.payerDisplayName }),
  paymentRequest: (row: StoredPayment, _args: unknown, context: PaymentContext) => context.paymentRequests.load(row.paymentRequestId),
  business: (row: StoredPayment) => businessRef(row.businessId),
};

export const Refund = {
  __resolveReference: async (reference: { id: string }, context: PaymentContext) => {
    const refund = await context.refunds.load(reference.id);
    if (!refund) return null;
    const payment = await context.payments.load(refund.paymentId);
    return payment && (await canSeePayment(context, payment)) ? refund : null;
  },
  amount: (row: StoredRefund) => money(row.amount, row.currency),
  payment: (row: StoredRefund, _args: unknown, context: PaymentContext) => context.payments.load(row.paymentId),
};

export const Transfer = {
  __resolveReference: async (reference: { id: string }, context: PaymentContext) => {
    const transfer = await context.transfers.load(reference.id);
    const visible = transfer && (isSelf(context.identity, transfer.senderUserId) || isSelf(context.identity, transfer.recipientUserId));
    return visible ? transfer : null;
  },
  amount: (row: StoredTransfer) => money(row.amount, row.currency),
  sender: (row: StoredTransfer) => userRef(row.senderUserId),
  recipient: (row: StoredTransfer) => userRef(row.recipientUserId),
};
