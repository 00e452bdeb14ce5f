/** Events the user subgraph writes to its outbox (aggregate `user`/userId). */
import { z } from 'zod';
import { defineEvent } from './define';
import { displayName, id, timestamp } from './fields';

/**
 * A person created an account. The phone number stays out on purpose: every
 * event also goes to the analytics feed, and no consumer needs it.
 */
export const userSignedUp = defineEvent(
  'user.signed_up',
  1,
  z.object({
    userId: id,
    displayName,
    signedUpAt: timestamp,
  }),
);
