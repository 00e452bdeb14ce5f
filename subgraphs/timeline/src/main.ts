import { createTimelineStore } from '@harbour/prisma/timeline';
import { runSubgraph } from '@harbour/server';
import { buildTimelineSubgraph } from './build';
import { startTimelineConsumer } from './entries/consumer';

runSubgraph('timeline', createTimelineStore, (runtime) => {
  // The bus (Redis Streams from the environment) fills timelines; the server reads them back.
  const consumer = startTimelineConsumer({ store: runtime.store, logger: runtime.logger, recentWrites: runtime.replica?.recentWrites, observer: runtime.metrics });
  // Runs after the server has drained and before the store disconnects: the event in hand finishes first.
  runtime.onStop(() => consumer.stop());
  return buildTimelineSubgraph(runtime);
});
