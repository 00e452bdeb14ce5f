import { notImplementedField, scalarResolvers } from '@harbour/server';
import { Business, Payment, PaymentRequest, Refund, Transfer, User, Wallet } from './entities';

/** Money movement, QR codes and reports arrive with issue #3; the subscription with issue #4. */
export const resolvers = {
  ...scalarResolvers,
  Query: {
    paymentRequestByQr: notImplementedField(3),
  },
  Mutation: {
    topUpWallet: notImplementedField(3),
    createPaymentRequest: notImplementedField(3),
    cancelPaymentRequest: notImplementedField(3),
    payPaymentRequest: notImplementedField(3),
    refundPayment: notImplementedField(3),
    sendMoney: notImplementedField(3),
  },
  Subscription: {
    paymentRequestUpdated: { subscribe: notImplementedField(4) },
  },
  User,
  Wallet,
  Business,
  PaymentRequest,
  Payment,
  Refund,
  Transfer,
};
