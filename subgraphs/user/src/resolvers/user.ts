import { forbidden } from '@harbour/errors';
import { isSelf } from '@harbour/server';
import type { User as StoredUser } from '@harbour/prisma/user';
import type { UserContext } from '../context';

/** The fields of a User this subgraph owns. Only id and displayName are public. */
export const User = {
  __resolveReference(reference: { id: string }, context: UserContext) {
    return context.users.load(reference.id);
  },
  phone(user: StoredUser & { justAuthenticated?: boolean }, _args: unknown, context: UserContext) {
    if (!user.justAuthenticated && !isSelf(context.identity, user.id)) throw forbidden('Only the user themself can see their phone.');
    return user.phone;
  },
};
