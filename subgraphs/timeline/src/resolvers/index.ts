import type { TimelineEntry as StoredEntry } from '@harbour/prisma/timeline';
import { isId, isSelf, readStoreFor, requireSelf, scalarResolvers, userKey } from '@harbour/server';
import type { TimelineContext } from '../context';
import { isKnownKind } from '../entries/kinds';
import { listTimeline } from '../feed/timeline';
import { renderSummary } from '../render/summary';

interface TimelineArgs {
  first?: number | null;
  after?: string | null;
}

/** Each user's timeline, filled from events (entries/consumer.ts) and read back here. */
export const resolvers = {
  ...scalarResolvers,
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    async timeline(user: { id: string }, args: TimelineArgs, context: TimelineContext) {
      // Privacy first: someone else's timeline is FORBIDDEN whatever the arguments.
      const userId = requireSelf(context.identity, user.id);
      return listTimeline(await readStoreFor(context.store, context.replica, userKey(userId)), userId, args.first, args.after);
    },
  },
  TimelineEntry: {
    async __resolveReference(reference: { id: string }, context: TimelineContext) {
      if (!isId('timelineEntry', reference.id)) return null;
      const entry = await context.entries.load(reference.id);
      // Someone else's entry does not exist, as far as the caller can tell; nor does one of a kind this build cannot name.
      return entry && isSelf(context.identity, entry.userId) && isKnownKind(entry.kind) ? entry : null;
    },
    kind: (entry: StoredEntry) => entry.kind,
    summary: (entry: StoredEntry, _args: unknown, context: TimelineContext) => renderSummary(entry.kind, entry.params, context.language),
  },
};
