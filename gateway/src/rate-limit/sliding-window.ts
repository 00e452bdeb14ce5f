import type { Cluster, Redis } from 'ioredis';
import type { RedisOutage } from '../redis-outage';

/** One limit a request is counted against: at most `limit` requests per `windowMs`, for one subject (`key`). */
export interface WindowLimit {
  /** Which limit (`user`, `ip`, `sensitive_ip`, ...): named in the refusal and in metrics. */
  name: string;
  /** The Redis key of this subject's counters (already prefixed). */
  key: string;
  limit: number;
  windowMs: number;
}

export type Verdict = { allowed: true } | { allowed: false; limit: string; retryAfterSeconds: number };

/**
 * The two-window weighted counter (as Cloudflare's edge does it), for one
 * limit. Per subject one hash: the current fixed window's number `w`, its
 * count `c` and the previous window's count `p`. A request `elapsed` ms into
 * the window is admitted when `p·(window − elapsed)/window + c + 1 ≤ limit`,
 * i.e. it assumes the previous window's requests were spread evenly. Two
 * integers per subject, whatever the limit (a sliding log would keep one
 * entry per request: 300 per user).
 *
 * One key per script, on purpose: a request is counted against several
 * limits whose keys are of different subjects (the user's, the IP's), which
 * Redis Cluster puts in different hash slots, on different nodes; one script
 * over all of them was refused there (CROSSSLOT) and, the limiter failing
 * open, admitted everything. A hash tag cannot help: the keys of one request
 * share no subject. So each limit is counted by its own call (all sent at
 * once: one round trip), and {@link REFUND} gives back what a request did not
 * use (see {@link SlidingWindowLimiter.admit}).
 *
 * ARGV: limit, window, wanted. Counted is `min(wanted, room/4)`, at least the
 * one request asked about, so near a limit leases shrink to one request and
 * the count stays exact. Returns `{granted, w, ms left of window w}` when it
 * counted, else `{0, milliseconds until it would admit, 0}`.
 */
const COUNT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit, window, wanted = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = math.floor(now / window)
local elapsed = now - current * window
local stored = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w, c, p = tonumber(stored[1]), tonumber(stored[2]) or 0, tonumber(stored[3]) or 0
if w == current - 1 then
  p, c = c, 0
elseif w ~= current then
  p, c = 0, 0
end
local room = limit - p * (window - elapsed) / window - c
if room < 1 then
  local wait
  if c + 1 <= limit then
    -- this window has room: wait for the previous window's weight to fall far enough
    wait = window - (limit - 1 - c) * window / p - elapsed
  else
    -- this window is full: wait for the next one, where this window's count decays as the previous
    wait = (window - elapsed) + window - (limit - 1) * window / c
  end
  return { 0, math.max(1, math.ceil(wait)), 0 }
end
local grant = math.max(1, math.min(wanted, math.floor(room / 4)))
redis.call('HSET', KEYS[1], 'w', current, 'c', c + grant, 'p', p)
redis.call('PEXPIRE', KEYS[1], 2 * window)
return { grant, current, window - elapsed }
`;

/**
 * Gives back ARGV[2] requests counted in window ARGV[1] and not used: only
 * while that window is still the current one (once it is the previous one
 * they stay counted, which can only refuse early), never below zero.
 */
const REFUND = `
local stored = redis.call('HMGET', KEYS[1], 'w', 'c')
if tonumber(stored[1]) ~= tonumber(ARGV[1]) then return 0 end
local c = tonumber(stored[2]) or 0
local refund = math.min(c, tonumber(ARGV[2]))
if refund > 0 then redis.call('HSET', KEYS[1], 'c', c - refund) end
return refund
`;

/** Requests admitted by one lease at most, and how long its requests may be used. */
const MAX_LEASE = 16;
const LEASE_MS = 1_000;
/** Subjects (sets of limits) this process holds leases for; the longest unused goes first. */
const LEASED_SUBJECTS = 10_000;

interface Lease {
  /** Requests of this lease not admitted yet. */
  remaining: number;
  /** What was granted. */
  size: number;
  expiresAt: number;
}

const COUNT_COMMAND = 'harbourSlidingWindowCount';
const REFUND_COMMAND = 'harbourSlidingWindowRefund';

type CountCommand = (key: string, limit: number, windowMs: number, wanted: number) => Promise<[number, number, number]>;
type RefundCommand = (key: string, window: number, count: number) => Promise<number>;

/**
 * Sliding-window rate limits in Redis that fail open: when Redis does not
 * answer (the client fails fast: no offline queue, a short command timeout)
 * the request is admitted, and the failure counted and logged by `outage`.
 * A payment is never refused or delayed because the limiter's store is down.
 * Takes a single Redis or a Redis Cluster: every script names one key.
 *
 * A busy subject does not cost a Redis round trip per request: it is leased
 * requests in advance (see COUNT), counted in Redis when leased, so no
 * limit is ever exceeded, whichever replica admits. A lease is sized by what
 * the subject used of its last one within {@link LEASE_MS} (doubling while it
 * uses them all, up to {@link MAX_LEASE}); a subject seen once gets no more
 * than its one request. A lease also ends with the window it was counted in:
 * used in the next one, its requests would weigh there only as the previous
 * window's (decayed) count, and a short window could be overrun. Requests
 * leased and not used stay counted: the price is that a subject spread over
 * many replicas may be refused a few requests early, never late.
 */
export class SlidingWindowLimiter {
  private readonly count: CountCommand;
  private readonly refund: RefundCommand;
  private readonly leases = new Map<string, Lease>();
  /** Requests of this subject's limits a round trip to Redis costs (one per admit asked of Redis, however many limits). */
  redisChecks = 0;
  /** Requests leased (counted in Redis) that ended unused: expired, past their window, or evicted. */
  leasedUnused = 0;

  constructor(
    redis: Redis | Cluster,
    private readonly outage: RedisOutage,
  ) {
    redis.defineCommand(COUNT_COMMAND, { numberOfKeys: 1, lua: COUNT });
    redis.defineCommand(REFUND_COMMAND, { numberOfKeys: 1, lua: REFUND });
    const commands = redis as unknown as Record<string, CountCommand & RefundCommand>;
    this.count = commands[COUNT_COMMAND]!.bind(redis);
    this.refund = commands[REFUND_COMMAND]!.bind(redis);
  }

  /**
   * Counts one request against every limit; `lease: false` asks Redis every time (the strict sensitive limits).
   *
   * Each limit counts `min(wanted, its room/4, ≥ 1)` in its own script, all
   * sent at once; the request is granted the least of them. Either every limit
   * admits it, or none keeps it counted: when one refuses, what the others
   * counted is given back ({@link REFUND}) before the refusal is answered (a
   * refused request consumes nothing). What a limit counted beyond the grant
   * is given back too, without waiting. Between the count and the refund
   * another request may find those counted and be refused early, never late.
   */
  async admit(limits: readonly WindowLimit[], options: { lease?: boolean } = {}): Promise<Verdict> {
    if (limits.length === 0) return { allowed: true };
    const leasing = options.lease !== false;
    const subject = limits.map((limit) => limit.key).join('\n');
    const now = Date.now();
    const lease = leasing ? this.leases.get(subject) : undefined;
    if (lease && lease.remaining > 0 && lease.expiresAt > now) {
      lease.remaining--;
      return { allowed: true };
    }
    if (lease && lease.remaining > 0) this.leasedUnused += lease.remaining;
    const wanted = !lease ? 1 : lease.expiresAt > now ? Math.min(MAX_LEASE, lease.size * 2) : Math.max(1, lease.size - lease.remaining);
    let answers: Array<[number, number, number]>;
    try {
      this.redisChecks++;
      answers = await Promise.all(limits.map((limit) => this.count(limit.key, limit.limit, limit.windowMs, wanted)));
    } catch (error) {
      this.outage.failed(error);
      return { allowed: true };
    }
    this.outage.succeeded();
    let refusedBy = -1;
    let longestWait = 0;
    answers.forEach(([granted, waitMs], i) => {
      if (granted === 0 && waitMs > longestWait) [refusedBy, longestWait] = [i, waitMs];
    });
    const granted = refusedBy >= 0 ? 0 : Math.min(...answers.map(([count]) => count));
    const refunds = this.giveBack(limits, answers, granted);
    const refusing = limits[refusedBy];
    if (refusing) {
      await refunds;
      return { allowed: false, limit: refusing.name, retryAfterSeconds: Math.ceil(longestWait / 1000) };
    }
    // The lease ends with the earliest of its windows, measured from before the scripts ran.
    const windowEnds = now + Math.min(...answers.map(([, , msLeft]) => msLeft));
    if (leasing) this.remember(subject, granted, Date.now(), windowEnds);
    return { allowed: true };
  }

  /** Gives back to each limit what it counted beyond `granted` (all of it on a refusal); a failure leaves it counted. */
  private async giveBack(limits: readonly WindowLimit[], answers: ReadonlyArray<[number, number, number]>, granted: number): Promise<void> {
    const refunds = answers.flatMap(([count, window], i) => (count > granted ? [this.refund(limits[i]!.key, window, count - granted)] : []));
    try {
      await Promise.all(refunds);
    } catch (error) {
      this.outage.failed(error);
    }
  }

  /** A new lease of `granted` requests, the first of them used now; requests left of a live lease join it. */
  private remember(subject: string, granted: number, now: number, windowEnds: number): void {
    const current = this.leases.get(subject);
    const carried = current && current.expiresAt > now ? current.remaining : 0;
    this.leases.delete(subject);
    if (this.leases.size >= LEASED_SUBJECTS) {
      const [oldest, evicted] = this.leases.entries().next().value!;
      this.leasedUnused += evicted.remaining;
      this.leases.delete(oldest);
    }
    this.leases.set(subject, { remaining: granted - 1 + carried, size: granted, expiresAt: Math.min(now + LEASE_MS, windowEnds) });
  }
}
