import type DataLoader from 'dataloader';
import type { User } from '@harbour/prisma/user';
import { loaderByKey, type SubgraphContext } from '@harbour/server';
import type { UserServices } from './services';

export interface UserContext extends SubgraphContext {
  services: UserServices;
  /** Users by id, one query per batch; made fresh for each request. */
  users: DataLoader<string, User | null>;
}

export function userContext(services: UserServices) {
  return (base: SubgraphContext): UserContext => ({
    ...base,
    services,
    users: loaderByKey(
      (ids) => services.store.user.findMany({ where: { id: { in: [...ids] } } }),
      (user) => user.id,
    ),
  });
}
