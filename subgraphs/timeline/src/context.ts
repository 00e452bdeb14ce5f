import type DataLoader from 'dataloader';
import type { TimelineEntry, TimelineStore } from '@harbour/prisma/timeline';
import { loaderByKey, type SubgraphContext } from '@harbour/server';

export interface TimelineContext extends SubgraphContext {
  store: TimelineStore;
  entries: DataLoader<string, TimelineEntry | null>;
}

export function timelineContext(store: TimelineStore) {
  return (base: SubgraphContext): TimelineContext => ({
    ...base,
    store,
    entries: loaderByKey((ids) => store.timelineEntry.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
  });
}
