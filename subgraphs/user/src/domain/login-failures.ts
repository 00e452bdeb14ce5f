import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';

/**
 * Wrong passwords per phone number, across every IP and replica: after
 * `limit` failures within `windowSeconds` of the first, `logIn` for that
 * number is refused until the window ends, whatever the password. The
 * gateway's limits count per IP and per user; a botnet guessing one
 * account's password from many addresses is caught only here.
 *
 * Only failures count, and a success clears them, so the account's owner is
 * never held back by their own logins. Someone who knows a victim's number
 * can hold its logins back for one window at a time; that is the price of
 * any per-account limit, and lockout is never longer than a window.
 */
export interface LoginFailures {
  /** Seconds until `phone` may try again, or 0 when it may now. */
  retryAfterSeconds(phone: string): Promise<number>;
  failed(phone: string): Promise<void>;
  succeeded(phone: string): Promise<void>;
}

export interface LoginFailureLimit {
  /** Failures allowed in a window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_FAILURE_LIMIT: LoginFailureLimit = { limit: 10, windowSeconds: 900 };

/** How long a login waits for Redis before going on without the limit (fail open, logged). */
const REDIS_WAIT_MS = 500;

/** INCR, and the window starts with the first failure (EXPIRE … NX needs Redis 7; this runs on 6 too). */
const COUNT_FAILURE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** The count and the window's remaining milliseconds, in one round trip. */
const READ_FAILURES = `
local count = redis.call('GET', KEYS[1])
if not count then return {0, 0} end
return {tonumber(count), redis.call('PTTL', KEYS[1])}`;

export function redisLoginFailures(redis: Redis, keyPrefix: string, settings: LoginFailureLimit, logger: Logger): LoginFailures {
  const key = (phone: string) => `${keyPrefix}login-failures:${phone}`;
  let lastWarning = 0;
  /** Redis away or slow: the login goes on without this limit (the gateway's per-IP limits still hold). */
  async function orOpen<T>(what: string, command: () => Promise<T>, fallback: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis in ${REDIS_WAIT_MS} ms`)), REDIS_WAIT_MS);
        }),
      ]);
    } catch (error) {
      const now = Date.now();
      if (now - lastWarning > 10_000) {
        lastWarning = now;
        logger.warn({ err: error }, `login failure limit not applied (${what}): Redis unavailable`);
      }
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  if (settings.limit === 0) {
    return { retryAfterSeconds: async () => 0, failed: async () => undefined, succeeded: async () => undefined };
  }
  return {
    async retryAfterSeconds(phone) {
      const [count, ttlMs] = await orOpen('check', () => redis.eval(READ_FAILURES, 1, key(phone)) as Promise<[number, number]>, [0, 0]);
      if (count < settings.limit) return 0;
      // A key without a TTL cannot come from COUNT_FAILURE; wait a whole window rather than never.
      return ttlMs > 0 ? Math.ceil(ttlMs / 1000) : settings.windowSeconds;
    },
    async failed(phone) {
      await orOpen('count', () => redis.eval(COUNT_FAILURE, 1, key(phone), String(settings.windowSeconds * 1000)), 0);
    },
    async succeeded(phone) {
      await orOpen('clear', () => redis.del(key(phone)), 0);
    },
  };
}
