/**
 * Events the social subgraph writes to its outbox.
 *
 * Aggregate: `friendship`, id = the two user ids' friendship (the social
 * store's own id for it), so both sides' reactions follow one order.
 */
import { z } from 'zod';
import { defineEvent } from './define';
import { displayName, id, timestamp } from './fields';

/** Two users became friends: the second of them added the first back. */
export const friendshipEstablished = defineEvent(
  'friendship.established',
  1,
  z.object({
    friendshipId: id,
    /** The user who added the other first. */
    requesterUserId: id,
    requesterDisplayName: displayName,
    /** The user whose add made it mutual. */
    accepterUserId: id,
    accepterDisplayName: displayName,
    establishedAt: timestamp,
  }),
);
