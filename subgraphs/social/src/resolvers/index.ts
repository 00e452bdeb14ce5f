import { requireSelf, requireUser } from '@harbour/server';
import type { SocialContext } from '../context';
import { addFriend } from '../domain/add-friend';
import { listFriends } from '../domain/friends';
import { recommendBusinesses } from '../domain/recommendations';

/** Friendships and recommendations (issue #4): thin resolvers over the domain functions. */
export const resolvers = {
  Mutation: {
    async addFriend(_parent: unknown, args: { userId: string }, context: SocialContext) {
      const { userId: callerId } = requireUser(context.identity);
      const outcome = await addFriend(context.store, callerId, args.userId, context.now());
      if (outcome.kind === 'established') context.eventsWritten();
      return { __typename: 'User', id: args.userId };
    },
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    friends(user: { id: string }, args: { first?: number | null; after?: string | null }, context: SocialContext) {
      const callerId = requireSelf(context.identity, user.id);
      return listFriends(context.store, callerId, args);
    },
    recommendedBusinesses(user: { id: string }, args: { first?: number | null }, context: SocialContext) {
      const callerId = requireSelf(context.identity, user.id);
      return recommendBusinesses(context.store, callerId, args.first, context.now());
    },
  },
};
