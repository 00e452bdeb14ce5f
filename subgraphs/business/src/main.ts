import { createBusinessStore } from '@harbour/prisma/business';
import { runSubgraph } from '@harbour/server';
import { buildBusinessSubgraph } from './build';

runSubgraph('business', createBusinessStore, buildBusinessSubgraph);
