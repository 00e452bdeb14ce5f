import type { Redis } from 'ioredis';
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
 * The two-window weighted counter (as Cloudflare's edge does it), for every
 * limit of a request at once. Per subject one hash: the current fixed
 * window's number `w`, its count `c` and the previous window's count `p`.
 * A request `elapsed` ms into the window is admitted when
 * `p·(window − elapsed)/window + c + 1 ≤ limit`, i.e. it assumes the previous
 * window's requests were spread evenly. Two integers per subject, whatever
 * the limit (a sliding log would keep one entry per request: 300 per user).
 *
 * Either every limit admits the request and each counts it, or none counts it
 * (a refused request consumes nothing, so a client that backs off as told
 * gets through). The clock is Redis's (`TIME`): every replica agrees.
 *
 * The last argument asks for a lease of up to that many requests: granted
 * (and counted at once) is as many as every limit has room for a quarter of,
 * at least the one request asked about — so near a limit leases shrink to
 * one request and the count stays exact.
 * Returns `{0, 0, granted}` when admitted, else `{index of the refusing limit
 * (1-based), milliseconds until it would admit, 0}` — the longest wait when
 * several refuse.
 */
const SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local states = {}
local refusedBy, longestWait = 0, 0
local grant = tonumber(ARGV[2 * #KEYS + 1])
for i = 1, #KEYS do
  local limit, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local current = math.floor(now / window)
  local elapsed = now - current * window
  local stored = redis.call('HMGET', KEYS[i], 'w', 'c', 'p')
  local w, c, p = tonumber(stored[1]), tonumber(stored[2]) or 0, tonumber(stored[3]) or 0
  if w == current - 1 then
    p, c = c, 0
  elseif w ~= current then
    p, c = 0, 0
  end
  states[i] = { current, c, p, window }
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
    wait = math.max(1, math.ceil(wait))
    if wait > longestWait then refusedBy, longestWait = i, wait end
  else
    grant = math.min(grant, math.floor(room / 4))
  end
end
if refusedBy > 0 then return { refusedBy, longestWait, 0 } end
grant = math.max(1, grant)
for i = 1, #KEYS do
  local s = states[i]
  redis.call('HSET', KEYS[i], 'w', s[1], 'c', s[2] + grant, 'p', s[3])
  redis.call('PEXPIRE', KEYS[i], 2 * s[4])
end
return { 0, 0, grant }
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

const COMMAND = 'harbourSlidingWindow';

type SlidingWindowCommand = (numberOfKeys: number, ...keysThenArgs: Array<string | number>) => Promise<[number, number, number]>;

/**
 * Sliding-window rate limits in Redis that fail open: when Redis does not
 * answer (the client fails fast: no offline queue, a short command timeout)
 * the request is admitted, and the failure counted and logged by `outage`.
 * A payment is never refused or delayed because the limiter's store is down.
 *
 * A busy subject does not cost a Redis round trip per request: it is leased
 * requests in advance (see SCRIPT), counted in Redis when leased, so no
 * limit is ever exceeded, whichever replica admits. A lease is sized by what
 * the subject used of its last one within {@link LEASE_MS} (doubling while it
 * uses them all, up to {@link MAX_LEASE}); a subject seen once gets no more
 * than its one request. Requests leased and not used within that time stay
 * counted: the price is that a subject spread over many replicas may be
 * refused a few requests early, never late.
 */
export class SlidingWindowLimiter {
  private readonly command: SlidingWindowCommand;
  private readonly leases = new Map<string, Lease>();
  /** Round trips to Redis so far (each admits one request or leases several). */
  redisChecks = 0;

  constructor(
    redis: Redis,
    private readonly outage: RedisOutage,
  ) {
    redis.defineCommand(COMMAND, { lua: SCRIPT });
    const command = (redis as unknown as Record<string, SlidingWindowCommand>)[COMMAND]!;
    this.command = command.bind(redis);
  }

  /** Counts one request against every limit; `lease: false` asks Redis every time (the strict sensitive limits). */
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
    const wanted = !lease ? 1 : lease.expiresAt > now ? Math.min(MAX_LEASE, lease.size * 2) : Math.max(1, lease.size - lease.remaining);
    let refusedBy: number;
    let waitMs: number;
    let granted: number;
    try {
      this.redisChecks++;
      [refusedBy, waitMs, granted] = await this.command(
        limits.length,
        ...limits.map((limit) => limit.key),
        ...limits.flatMap((limit) => [limit.limit, limit.windowMs]),
        wanted,
      );
    } catch (error) {
      this.outage.failed(error);
      return { allowed: true };
    }
    this.outage.succeeded();
    const refusing = limits[refusedBy - 1];
    if (!refusing) {
      if (leasing) this.remember(subject, granted, Date.now());
      return { allowed: true };
    }
    return { allowed: false, limit: refusing.name, retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }

  /** A new lease of `granted` requests, the first of them used now; requests left of a live lease join it. */
  private remember(subject: string, granted: number, now: number): void {
    const current = this.leases.get(subject);
    const carried = current && current.expiresAt > now ? current.remaining : 0;
    this.leases.delete(subject);
    if (this.leases.size >= LEASED_SUBJECTS) this.leases.delete(this.leases.keys().next().value!);
    this.leases.set(subject, { remaining: granted - 1 + carried, size: granted, expiresAt: now + LEASE_MS });
  }
}
