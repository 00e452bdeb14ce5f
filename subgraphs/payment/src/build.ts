import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Logger } from '@harbour/logger';
import type { PaymentStore } from '@harbour/prisma/payment';
import { createSubgraphServer, loadTypeDefs, storeReady } from '@harbour/server';
import { paymentContext, type PaymentContext } from './context';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(`${__dirname}/..`);

export interface PaymentSubgraphDeps {
  store: PaymentStore;
  identitySecret: Uint8Array;
  logger: Logger;
}

/** The payment subgraph: wallets, payment requests, payments, refunds, transfers and the ledger. */
export function buildPaymentSubgraph(deps: PaymentSubgraphDeps) {
  return createSubgraphServer<PaymentContext>({
    name: 'payment',
    typeDefs,
    resolvers: resolvers as unknown as GraphQLResolverMap<PaymentContext>,
    extendContext: paymentContext(deps.store),
    identitySecret: deps.identitySecret,
    logger: deps.logger,
    ready: storeReady(deps.store),
  });
}
