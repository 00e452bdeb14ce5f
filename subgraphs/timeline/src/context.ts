import type DataLoader from 'dataloader';
import type { TimelineEntry, TimelineStore } from '@harbour/prisma/timeline';
import { loaderByKey, type ReadReplica, type StoreSubgraphDeps, type SubgraphContext } from '@harbour/server';

export interface TimelineContext extends SubgraphContext {
  store: TimelineStore;
  /** Where timelines are read from, unless the user's own was written to recently. */
  replica?: ReadReplica<TimelineStore>;
  entries: DataLoader<string, TimelineEntry | null>;
}

export function timelineContext(store: TimelineStore, deps: Pick<StoreSubgraphDeps<TimelineStore>, 'replica'>) {
  return (base: SubgraphContext): TimelineContext => ({
    ...base,
    store,
    replica: deps.replica,
    entries: loaderByKey((ids) => store.timelineEntry.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
  });
}
