import { startOutboxRelays } from '@harbour/events';
import { createBusinessStore } from '@harbour/prisma/business';
import { runSubgraph } from '@harbour/server';
import { buildBusinessSubgraph } from './build';

runSubgraph('business', createBusinessStore, (runtime) => {
  const relays = startOutboxRelays({ client: runtime.store, source: 'business', logger: runtime.logger, observer: runtime.metrics });
  runtime.onStop(() => relays.stop());
  return buildBusinessSubgraph({ ...runtime, eventsWritten: relays.wake });
});
