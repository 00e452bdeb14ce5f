import { notImplementedField, requireUser, scalarResolvers } from '@harbour/server';
import type { PaymentContext } from '../context';
import { paymentRequestByQr } from '../domain/qr';
import { Business, Payment, PaymentRequest, Refund, Transfer, User, Wallet } from './entities';
import { Mutation } from './mutation';

export const resolvers = {
  ...scalarResolvers,
  Query: {
    async paymentRequestByQr(_: unknown, args: { payload: string }, context: PaymentContext) {
      requireUser(context.identity);
      const request = await paymentRequestByQr(context.services.store, args.payload);
      context.paymentRequests.prime(request.id, request);
      return request;
    },
  },
  Mutation,
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
