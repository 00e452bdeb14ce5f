import { badUserInput, notFound } from '@harbour/errors';
import { createEvent, friendshipEstablished, outboxRow, type EventOf } from '@harbour/events';
import type { Prisma, SocialStore } from '@harbour/prisma/social';
import { ulid } from 'ulid';

export type AddFriendOutcome =
  /** The add was recorded; the other user has not added the caller (yet). */
  | { kind: 'requested' }
  /** The add made it mutual: both are friends now, and friendship.established is in the outbox. */
  | { kind: 'established'; friendshipId: string; establishedAt: Date }
  /** The caller had added this user before: nothing changed. */
  | { kind: 'unchanged' };

/** `frd_` + a ULID, as `newId` makes ids (a friendship is social's own entity). */
export function newFriendshipId(): string {
  return `frd_${ulid()}`;
}

interface UserRow {
  user_id: string;
  display_name: string;
}

interface LinkRow {
  user_id: string;
  friend_id: string;
}

/**
 * `callerId` adds `userId`. A request until the other adds back; the add that
 * makes it mutual sets the friendship's id and time on both links and writes
 * `friendship.established` to the outbox in the same transaction. Adding
 * again changes nothing.
 *
 * Two users adding each other at the same moment: each transaction first
 * locks both users' rows, always in the same order, so the second waits for
 * the first to commit and then sees its link (READ COMMITTED: every read
 * sees the latest commit, and no gap locks make unrelated adds deadlock);
 * exactly one of them establishes the friendship.
 */
export async function addFriend(store: SocialStore, callerId: string, userId: string, now: Date): Promise<AddFriendOutcome> {
  if (userId === callerId) throw badUserInput('You cannot add yourself as a friend.', 'userId');
  return store.$transaction(async (tx) => {
    const users = new Map<string, UserRow>();
    for (const id of [callerId, userId].sort()) {
      const [row] = await tx.$queryRaw<UserRow[]>`SELECT user_id, display_name FROM users WHERE user_id = ${id} FOR UPDATE`;
      if (row) users.set(row.user_id, row);
    }
    // Unknown to social: no user.signed_up for this id has arrived.
    const friend = users.get(userId);
    if (!friend) throw notFound('User');

    const links = await tx.$queryRaw<LinkRow[]>`
      SELECT user_id, friend_id FROM friend_links
      WHERE (user_id = ${callerId} AND friend_id = ${userId}) OR (user_id = ${userId} AND friend_id = ${callerId})
      FOR UPDATE`;
    if (links.some((link) => link.user_id === callerId)) return { kind: 'unchanged' } as const;

    const addedBack = links.some((link) => link.user_id === userId);
    if (!addedBack) {
      await tx.friendLink.create({ data: { userId: callerId, friendId: userId, createdAt: now } });
      return { kind: 'requested' } as const;
    }

    // The other user added the caller first (so the caller was known then): both names are here.
    const caller = users.get(callerId);
    if (!caller) throw new Error(`User ${callerId} has a friend request but is unknown to social.`);
    const friendshipId = newFriendshipId();
    await tx.friendLink.create({ data: { userId: callerId, friendId: userId, createdAt: now, friendshipId, establishedAt: now } });
    await tx.friendLink.update({ where: { userId_friendId: { userId, friendId: callerId } }, data: { friendshipId, establishedAt: now } });
    await recordFriendshipEstablished(tx, {
      friendshipId,
      requesterUserId: friend.user_id,
      requesterDisplayName: friend.display_name,
      accepterUserId: caller.user_id,
      accepterDisplayName: caller.display_name,
      establishedAt: now.toISOString(),
    });
    return { kind: 'established', friendshipId, establishedAt: now } as const;
  }, { isolationLevel: 'ReadCommitted' });
}

/** Writes the event to the outbox in the caller's transaction: it is published if and only if the friendship commits. */
async function recordFriendshipEstablished(
  tx: Prisma.TransactionClient,
  payload: EventOf<typeof friendshipEstablished>['payload'],
): Promise<void> {
  const event = createEvent(friendshipEstablished, {
    source: 'social',
    aggregateType: 'friendship',
    aggregateId: payload.friendshipId,
    payload,
    occurredAt: payload.establishedAt,
  });
  const row = outboxRow(event);
  // Payloads are validated JSON objects; Prisma types JSON columns more narrowly than `Record<string, unknown>`.
  await tx.outboxEvent.create({ data: { ...row, payload: row.payload as Prisma.InputJsonObject } });
}
