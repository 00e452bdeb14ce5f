import { createSocialStore } from '@harbour/prisma/social';
import { runSubgraph } from '@harbour/server';
import { buildSocialSubgraph } from './build';

runSubgraph('social', createSocialStore, buildSocialSubgraph);
