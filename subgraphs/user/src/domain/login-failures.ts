import type { Logger } from '@harbour/logger';
import type { Redis } from 'ioredis';
import type { E164Phone } from './phone';

/**
 * Wrong passwords per phone number, across every IP and replica: after
 * `limit` attempts without a success within `windowSeconds` of the first,
 * `logIn` for that number is refused until the window ends, whatever the
 * password. The gateway's limits count per IP and per user; a botnet
 * guessing one account's password from many addresses is caught only here.
 *
 * Every attempt is counted before its password is checked, and a success
 * clears the count, so only failures add up and the account's owner is
 * never held back by their own logins. Someone who knows a victim's number
 * can hold its logins back for one window at a time; that is the price of
 * any per-account limit, and lockout is never longer than a window.
 */
export interface LoginFailures {
  /**
   * Counts a login attempt for `phone` before its password is checked (so
   * concurrent guesses cannot slip past the limit together) and says how
   * many seconds it must wait, or 0 when it may go on. The number is in
   * E.164: counted as typed, each spelling of it would have a count of its own.
   */
  attempt(phone: E164Phone): Promise<number>;
  /** The password was right: the attempts counted so far are forgotten. */
  succeeded(phone: E164Phone): Promise<void>;
}

export interface LoginFailureLimit {
  /** Failures allowed in a window; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_FAILURE_LIMIT: LoginFailureLimit = { limit: 10, windowSeconds: 900 };

/** How long a login waits for Redis before going on without the limit (fail open, logged). */
const REDIS_WAIT_MS = 500;

/**
 * Counts one attempt (the window starts with the first: EXPIRE … NX would
 * need Redis 7) and answers 0 when it is within the limit, else the
 * window's remaining milliseconds.
 */
const COUNT_ATTEMPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if count <= tonumber(ARGV[2]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return tonumber(ARGV[1])
end
return ttl`;

/** COUNT_ATTEMPT as a command of the connection: EVALSHA, with the script sent once (as the gateway's rate limiter does). */
const COMMAND = 'harbourLoginAttempt';

type CountAttempt = (key: string, windowMs: string, limit: string) => Promise<number>;

export function redisLoginFailures(redis: Redis, keyPrefix: string, settings: LoginFailureLimit, logger: Logger): LoginFailures {
  const key = (phone: E164Phone) => `${keyPrefix}login-failures:${phone}`;
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

  if (settings.limit === 0) return { attempt: async () => 0, succeeded: async () => undefined };
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: COUNT_ATTEMPT });
  const countAttempt = (redis as unknown as Record<string, CountAttempt>)[COMMAND]!.bind(redis);
  const windowMs = String(settings.windowSeconds * 1000);
  const limit = String(settings.limit);
  return {
    async attempt(phone) {
      const waitMs = await orOpen('count', () => countAttempt(key(phone), windowMs, limit), 0);
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },
    async succeeded(phone) {
      await orOpen('clear', () => redis.del(key(phone)), 0);
    },
  };
}
