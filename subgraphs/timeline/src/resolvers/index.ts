import type { TimelineEntry as StoredEntry } from '@harbour/prisma/timeline';
import { isSelf, notImplementedField, requireSelf, scalarResolvers } from '@harbour/server';
import type { TimelineContext } from '../context';

const later = notImplementedField(4);

/** Timelines are filled from payment events and read back with issue #4. */
export const resolvers = {
  ...scalarResolvers,
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    timeline(user: { id: string }, _args: unknown, context: TimelineContext) {
      requireSelf(context.identity, user.id);
      return later();
    },
  },
  TimelineEntry: {
    async __resolveReference(reference: { id: string }, context: TimelineContext) {
      const entry = await context.entries.load(reference.id);
      // Someone else's entry does not exist, as far as the caller can tell.
      return entry && isSelf(context.identity, entry.userId) ? entry : null;
    },
    summary: later,
    kind: (entry: StoredEntry) => entry.kind,
  },
};
