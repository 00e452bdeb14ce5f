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
 * Returns `{0, 0}` when admitted, else `{index of the refusing limit (1-based),
 * milliseconds until it would admit}` — the longest wait when several refuse.
 */
const SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local states = {}
local refusedBy, longestWait = 0, 0
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
  if p * (window - elapsed) / window + c + 1 > limit then
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
  end
end
if refusedBy > 0 then return { refusedBy, longestWait } end
for i = 1, #KEYS do
  local s = states[i]
  redis.call('HSET', KEYS[i], 'w', s[1], 'c', s[2] + 1, 'p', s[3])
  redis.call('PEXPIRE', KEYS[i], 2 * s[4])
end
return { 0, 0 }
`;

const COMMAND = 'harbourSlidingWindow';

type SlidingWindowCommand = (numberOfKeys: number, ...keysThenArgs: Array<string | number>) => Promise<[number, number]>;

/**
 * Sliding-window rate limits in Redis that fail open: when Redis does not
 * answer (the client fails fast: no offline queue, a short command timeout)
 * the request is admitted, and the failure counted and logged by `outage`.
 * A payment is never refused or delayed because the limiter's store is down.
 */
export class SlidingWindowLimiter {
  private readonly command: SlidingWindowCommand;

  constructor(
    redis: Redis,
    private readonly outage: RedisOutage,
  ) {
    redis.defineCommand(COMMAND, { lua: SCRIPT });
    const command = (redis as unknown as Record<string, SlidingWindowCommand>)[COMMAND]!;
    this.command = command.bind(redis);
  }

  async admit(limits: readonly WindowLimit[]): Promise<Verdict> {
    if (limits.length === 0) return { allowed: true };
    let refusedBy: number;
    let waitMs: number;
    try {
      [refusedBy, waitMs] = await this.command(limits.length, ...limits.map((limit) => limit.key), ...limits.flatMap((limit) => [limit.limit, limit.windowMs]));
    } catch (error) {
      this.outage.failed(error);
      return { allowed: true };
    }
    this.outage.succeeded();
    const refusing = limits[refusedBy - 1];
    if (!refusing) return { allowed: true };
    return { allowed: false, limit: refusing.name, retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }
}
