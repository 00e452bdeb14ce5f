import { createTimelineStore } from '@harbour/prisma/timeline';
import { runSubgraph } from '@harbour/server';
import { buildTimelineSubgraph } from './build';

runSubgraph('timeline', createTimelineStore, buildTimelineSubgraph);
