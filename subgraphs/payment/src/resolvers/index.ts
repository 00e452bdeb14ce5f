import { notOwnBusiness, servedByGateway, requireUser, scalarResolvers } from '@harbour/server';
import type { PaymentContext } from '../context';
import { forbidden, notFound } from '@harbour/errors';
import { paymentRequestByQr, scanQr, type ScanLookups } from '../domain/qr';
import { checkLedgerHealth } from '../domain/check-ledger-health';
import { money } from '../money';
import { statementAnswer } from '../statements/statement-answer';
import { canSeePayment, requireMachinePaymentAccess, requireMember, requireRequestVisible } from './access';
import { actorOf } from '../partners/actor';
import { Business, Payment, PaymentLink, Payout, PaymentRequest, readPaymentLink, Refund, Transfer, User, Wallet } from './entities';
import { Mutation } from './mutation';

/** What a scan needs: the store, and the business as it is now (asked of the business subgraph). */
function scanLookups(context: PaymentContext): ScanLookups {
  const { userId } = requireUser(context.identity);
  return {
    store: context.services.store,
    business: async (id) => (await context.services.directory.membership(id, userId, context.requestId))?.business ?? null,
  };
}

export const resolvers = {
  ...scalarResolvers,
  Query: {
    async paymentRequest(_: unknown, args: { id: string }, context: PaymentContext) {
      const request = await context.paymentRequests.load(args.id);
      if (!request) throw notFound('Payment request');
      await requireRequestVisible(context, request);
      return request;
    },
    async paymentRequestByQr(_: unknown, args: { payload: string }, context: PaymentContext) {
      const request = await paymentRequestByQr(scanLookups(context), args.payload);
      context.paymentRequests.prime(request.id, request);
      return request;
    },
    async scanQr(_: unknown, args: { payload: string }, context: PaymentContext) {
      const scanned = await scanQr(scanLookups(context), args.payload);
      switch (scanned.kind) {
        case 'paymentRequest':
          context.paymentRequests.prime(scanned.request.id, scanned.request);
          return { __typename: 'PaymentRequest', ...scanned.request };
        case 'business':
          return { __typename: 'Business', id: scanned.business.id };
        case 'paymentLink':
          context.paymentLinks.prime(scanned.link.id, scanned.link);
          return { __typename: 'PaymentLink', ...scanned.link };
      }
    },
    paymentLink: (_: unknown, args: { id: string }, context: PaymentContext) => readPaymentLink(context, args.id),
    // money-out.md: the payer, the business's OWNERs and MANAGERs, a CASHIER for their own; NOT_FOUND for anyone else.
    async payment(_: unknown, args: { id: string }, context: PaymentContext) {
      if (context.identity.kind !== 'machine') requireUser(context.identity);
      const payment = await context.payments.load(args.id);
      requireMachinePaymentAccess(context, payment);
      if (!payment || !(await canSeePayment(context, payment))) throw notFound('Payment');
      return payment;
    },
    // What businessPaymentReceived completes each pushed payment through: any member (a CASHIER too) sees them all here.
    async receivedPayment(_: unknown, args: { businessId: string; id: string }, context: PaymentContext) {
      await requireMember(context, args.businessId);
      const payment = await context.payments.load(args.id);
      if (!payment || payment.businessId !== args.businessId) throw notFound('Payment');
      return payment;
    },
    // money-out.md: the business's OWNERs and MANAGERs; its other members are refused, and to anyone else it does not exist.
    async statement(_: unknown, args: { id: string }, context: PaymentContext) {
      const actor = actorOf(context.identity, 'statement');
      const statement = await context.services.store.statement.findUnique({ where: { id: args.id } });
      if (actor.kind === 'apiKey') {
        if (!statement) throw notFound('Statement');
        if (statement.businessId !== actor.businessId) throw notOwnBusiness();
        return statementAnswer(statement, context.services.config.moneyOutFiles, context.services.config.statementUrlTtlSeconds);
      }
      const role = statement ? await context.callerRoles.load(statement.businessId) : null;
      if (!statement || !role) throw notFound('Statement');
      if (role !== 'OWNER' && role !== 'MANAGER') throw forbidden('Only an OWNER or a MANAGER can read the business’s statements.');
      return statementAnswer(statement, context.services.config.moneyOutFiles, context.services.config.statementUrlTtlSeconds);
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
    businessPaymentReceived: { subscribe: servedByGateway },
  },
  ScanResult: {
    __resolveType: (value: { __typename: string }) => value.__typename,
  },
  PaymentLink,
  User,
  Wallet,
  Business,
  PaymentRequest,
  Payment,
  Payout,
  Refund,
  Transfer,
};
