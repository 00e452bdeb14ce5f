import type { SocialStore } from '@harbour/prisma/social';
import type { SubgraphContext } from '@harbour/server';

export interface SocialContext extends SubgraphContext {
  store: SocialStore;
  /** Tells the outbox relay that a transaction wrote events and committed. */
  eventsWritten: () => void;
  now: () => Date;
}

export interface SocialContextDeps {
  eventsWritten?: () => void;
  /** The clock (tests may fix it); defaults to the system's. */
  now?: () => Date;
}

/**
 * The per-request context. Social's fields answer only for the caller
 * themself, one query each, so there is nothing for a DataLoader to batch:
 * the User references it returns are resolved by the user subgraph.
 */
export function socialContext(store: SocialStore, deps: SocialContextDeps = {}) {
  const eventsWritten = deps.eventsWritten ?? (() => undefined);
  const now = deps.now ?? (() => new Date());
  return (base: SubgraphContext): SocialContext => ({ ...base, store, eventsWritten, now });
}
