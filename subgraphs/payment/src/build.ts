import { defineStoreSubgraph } from '@harbour/server';
import { paymentContext } from './context';
import { resolvers } from './resolvers';

/** The payment subgraph: wallets, payment requests, payments, refunds, transfers and the ledger. */
export const buildPaymentSubgraph = defineStoreSubgraph({ name: 'payment', packageRoot: `${__dirname}/..`, resolvers, context: paymentContext });
