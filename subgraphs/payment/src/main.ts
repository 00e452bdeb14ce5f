import { createPaymentStore } from '@harbour/prisma/payment';
import { runSubgraph } from '@harbour/server';
import { buildPaymentSubgraph } from './build';

runSubgraph('payment', createPaymentStore, buildPaymentSubgraph);
