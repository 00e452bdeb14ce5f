import type { SocialStore } from '@harbour/prisma/social';
import type { SubgraphContext } from '@harbour/server';

export interface SocialContext extends SubgraphContext {
  store: SocialStore;
}

export function socialContext(store: SocialStore) {
  return (base: SubgraphContext): SocialContext => ({ ...base, store });
}
