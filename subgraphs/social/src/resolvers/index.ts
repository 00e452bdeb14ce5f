import { notImplementedField, requireSelf, requireUser } from '@harbour/server';
import type { SocialContext } from '../context';

const later = notImplementedField(4);

/** Friendships and recommendations arrive with issue #4. */
export const resolvers = {
  Mutation: {
    addFriend(_parent: unknown, _args: unknown, context: SocialContext) {
      requireUser(context.identity);
      return later();
    },
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    friends(user: { id: string }, _args: unknown, context: SocialContext) {
      requireSelf(context.identity, user.id);
      return later();
    },
    recommendedBusinesses(user: { id: string }, _args: unknown, context: SocialContext) {
      requireSelf(context.identity, user.id);
      return later();
    },
  },
};
