import { InvalidatedMemory } from '@harbour/server';
import type { BusinessRole, Directory } from './directory';

export interface MembershipCacheOptions {
  directory: Directory;
  /**
   * Longest a remembered answer is served (0: nothing is remembered). The
   * bound on staleness when an invalidating event is late (the bus down);
   * normally the event evicts it within milliseconds.
   */
  ttlMs: number;
  /** Answers remembered at most; the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Callers' roles in businesses for the read paths (reports, payment lists,
 * who may see a payment), remembered across requests and invalidated by the
 * business subgraph's `business.membership_changed` events
 * (service-boundaries.md: "across requests only with invalidation by the
 * owner's events, when measurements show the need": without it, every
 * dashboard request made an internal call to the business subgraph).
 *
 * - Only "a member, with this role" is remembered. "Not a member" and "no
 *   such business" are asked every time, so someone just added is never
 *   refused.
 * - Actions (creating, cancelling, refunding, paying) do not come here:
 *   they ask the business subgraph fresh (Directory.membership).
 * - Answers are remembered only while the invalidation channel is
 *   subscribed, and not when fetched while an invalidation arrived
 *   (InvalidatedMemory).
 */
export class MembershipCache {
  private readonly memory: InvalidatedMemory<BusinessRole>;
  private readonly directory: Directory;

  constructor(options: MembershipCacheOptions) {
    this.directory = options.directory;
    this.memory = new InvalidatedMemory({ ttlMs: options.ttlMs, maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES, ...(options.now ? { now: options.now } : {}) });
  }

  /** The user's role in the business (null: not a member, or no such business). */
  async role(businessId: string, userId: string, requestId?: string): Promise<BusinessRole | null> {
    const key = keyOf(businessId, userId);
    const known = this.memory.get(key);
    if (known) return known;
    const mark = this.memory.mark;
    const role = (await this.directory.membership(businessId, userId, requestId))?.role ?? null;
    if (role !== null) this.memory.remember(key, role, mark);
    return role;
  }

  /** The business subgraph says this membership changed (added, new role, removed). */
  forget(businessId: string, userId: string): void {
    this.memory.forget(keyOf(businessId, userId));
  }

  /** Forgets every remembered answer (an invalidation that was not understood). */
  forgetAll(): void {
    this.memory.forgetAll();
  }

  /** The invalidation channel is subscribed (again): answers may be remembered from now on. */
  listen(): void {
    this.memory.listen();
  }

  /** The channel is lost: an invalidation could be missed, so nothing is remembered or served until it is back. */
  stopListening(): void {
    this.memory.stopListening();
  }

  /** How many answers are remembered. */
  get size(): number {
    return this.memory.size;
  }

  /** Is the invalidation channel subscribed (so answers are remembered)? */
  get isListening(): boolean {
    return this.memory.isListening;
  }
}

// Ids never contain a space.
const keyOf = (businessId: string, userId: string) => `${businessId} ${userId}`;
