import { servedByGateway, requireUser, scalarResolvers } from '@harbour/server';
import type { PaymentContext } from '../context';
import { notFound } from '@harbour/errors';
import { paymentRequestByQr } from '../domain/qr';
import { checkLedgerHealth } from '../domain/check-ledger-health';
import { money } from '../money';
import { requireMember } from './access';
import { Business, Payment, PaymentRequest, Refund, Transfer, User, Wallet } from './entities';
import { Mutation } from './mutation';

export const resolvers = {
  ...scalarResolvers,
  Query: {
    async paymentRequest(_: unknown, args: { id: string }, context: PaymentContext) {
      const request = await context.paymentRequests.load(args.id);
      if (!request) throw notFound('Payment request');
      await requireMember(context, request.businessId);
      return request;
    },
    async paymentRequestByQr(_: unknown, args: { payload: string }, context: PaymentContext) {
      requireUser(context.identity);
      const request = await paymentRequestByQr(context.services.store, args.payload);
      context.paymentRequests.prime(request.id, request);
      return request;
    },
    // The scope (ledger:audit) is enforced by the gateway from the supergraph's @requiresScopes; here, a user at least.
    async ledgerHealth(_: unknown, _args: unknown, context: PaymentContext) {
      requireUser(context.identity);
      const health = await checkLedgerHealth(context.services.store);
      return { ...health, totals: health.totals.map((total) => money(total.amount, total.currency)) };
    },
  },
  Mutation,
  Subscription: {
    // Subscriptions are served by the gateway (graphql-ws), which completes each update through Query.paymentRequest.
    paymentRequestUpdated: { subscribe: servedByGateway },
  },
  User,
  Wallet,
  Business,
  PaymentRequest,
  Payment,
  Refund,
  Transfer,
};
