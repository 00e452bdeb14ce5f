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
 *   subscribed (`listening`); losing it forgets everything, and so does
 *   getting it back (messages may have been missed in between).
 * - An answer fetched while an invalidation arrived is not remembered: it
 *   may predate the change.
 */
export class MembershipCache {
  private readonly entries = new Map<string, { role: BusinessRole; expiresAt: number }>();
  /** Bumped by every invalidation and every change of the channel's state. */
  private epoch = 0;
  private listening = false;
  private readonly directory: Directory;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MembershipCacheOptions) {
    this.directory = options.directory;
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** The user's role in the business (null: not a member, or no such business). */
  async role(businessId: string, userId: string, requestId?: string): Promise<BusinessRole | null> {
    const key = keyOf(businessId, userId);
    if (this.remembering) {
      const known = this.entries.get(key);
      if (known && known.expiresAt > this.now()) return known.role;
      if (known) this.entries.delete(key);
    }
    const epoch = this.epoch;
    const role = (await this.directory.membership(businessId, userId, requestId))?.role ?? null;
    if (role !== null && this.remembering && epoch === this.epoch) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { role, expiresAt: this.now() + this.ttlMs });
    }
    return role;
  }

  /** The business subgraph says this membership changed (added, new role, removed). */
  forget(businessId: string, userId: string): void {
    this.epoch += 1;
    this.entries.delete(keyOf(businessId, userId));
  }

  /** The invalidation channel is subscribed (again): answers may be remembered from now on. */
  listen(): void {
    this.forgetAll();
    this.listening = true;
  }

  /** The channel is lost: an invalidation could be missed, so nothing is remembered or served until it is back. */
  stopListening(): void {
    this.listening = false;
    this.forgetAll();
  }

  /** How many answers are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** Is the invalidation channel subscribed (so answers are remembered)? */
  get isListening(): boolean {
    return this.listening;
  }

  private get remembering(): boolean {
    return this.listening && this.ttlMs > 0;
  }

  /** Forgets every remembered answer (an invalidation that was not understood). */
  forgetAll(): void {
    this.epoch += 1;
    this.entries.clear();
  }
}

// Ids never contain a space.
const keyOf = (businessId: string, userId: string) => `${businessId} ${userId}`;
