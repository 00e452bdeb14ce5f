import { createSocialStore } from '@harbour/prisma/social';
import { runSubgraph } from '@harbour/server';
import { buildSocialSubgraph } from './build';
import { startSocialEvents } from './events/start';

runSubgraph('social', createSocialStore, (runtime) => {
  const events = startSocialEvents({ store: runtime.store, logger: runtime.logger, observer: runtime.metrics });
  runtime.onStop(() => events.stop());
  return buildSocialSubgraph({ ...runtime, eventsWritten: events.eventsWritten });
});
