import type { Payment as StoredPayment, PaymentRequest as StoredRequest, Refund as StoredRefund, Transfer as StoredTransfer } from '@harbour/prisma/payment';
import { isSelf, notImplementedField, requireSelf } from '@harbour/server';
import type { PaymentContext } from '../context';
import { money } from '../money';
import { walletIdOf, walletOwnerOf } from '../wallet-id';

const userRef = (id: string) => ({ __typename: 'User', id });
const businessRef = (id: string) => ({ __typename: 'Business', id });

export const User = {
  __resolveReference(reference: { id: string }) {
    return { id: reference.id };
  },
  wallet(user: { id: string }, _args: unknown, context: PaymentContext) {
    requireSelf(context.identity, user.id);
    return { id: walletIdOf(user.id), ownerId: user.id };
  },
};

export const Wallet = {
  __resolveReference(reference: { id: string }, context: PaymentContext) {
    const ownerId = walletOwnerOf(reference.id);
    // Someone else's wallet does not exist, as far as the caller can tell.
    return ownerId && isSelf(context.identity, ownerId) ? { id: reference.id, ownerId } : null;
  },
  async balance(wallet: { ownerId: string }, _args: unknown, context: PaymentContext) {
    const account = await context.walletsByUser.load(wallet.ownerId);
    return money(account?.balance ?? 0n, account?.currency ?? 'HKD');
  },
};

export const Business = {
  salesSummary: notImplementedField(3),
  payments: notImplementedField(3),
};

export const PaymentRequest = {
  __resolveReference(reference: { id: string }, context: PaymentContext) {
    return context.paymentRequests.load(reference.id);
  },
  amount: (row: StoredRequest) => money(row.amount, row.currency),
  qrPayload: notImplementedField(3),
  qrSvg: notImplementedField(3),
  business: (row: StoredRequest) => businessRef(row.businessId),
  payment: (row: StoredRequest, _args: unknown, context: PaymentContext) =>
    context.store.payment.findUnique({ where: { paymentRequestId: row.id } }),
};

export const Payment = {
  __resolveReference(reference: { id: string }, context: PaymentContext) {
    return context.payments.load(reference.id);
  },
  amount: (row: StoredPayment) => money(row.amount, row.currency),
  refundedAmount: (row: StoredPayment) => money(row.refundedAmount, row.currency),
  payer: (row: StoredPayment) => userRef(row.payerUserId),
  paymentRequest: (row: StoredPayment, _args: unknown, context: PaymentContext) => context.paymentRequests.load(row.paymentRequestId),
  business: (row: StoredPayment) => businessRef(row.businessId),
};

export const Refund = {
  __resolveReference(reference: { id: string }, context: PaymentContext) {
    return context.refunds.load(reference.id);
  },
  amount: (row: StoredRefund) => money(row.amount, row.currency),
  payment: (row: StoredRefund, _args: unknown, context: PaymentContext) => context.payments.load(row.paymentId),
};

export const Transfer = {
  __resolveReference(reference: { id: string }, context: PaymentContext) {
    return context.transfers.load(reference.id);
  },
  amount: (row: StoredTransfer) => money(row.amount, row.currency),
  sender: (row: StoredTransfer) => userRef(row.senderUserId),
  recipient: (row: StoredTransfer) => userRef(row.recipientUserId),
};
