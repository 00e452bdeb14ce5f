import { testLogger } from '../../__tests__/support/logger';
import { InMemoryBus } from '../memory';
import { describeBusContract } from './bus-contract';

describeBusContract('InMemoryBus', async () => {
  const bus = new InMemoryBus({ logger: testLogger });
  return { bus, deadLetters: () => bus.deadLetters(), cleanup: async () => undefined };
});
