import type { Logger } from '@harbour/logger';
import { Redis, type RedisOptions } from 'ioredis';
import { settlesWithin } from '../../internal/async';

/** A Redis URL (redis://, rediss://) or ioredis options. */
export type RedisTarget = string | RedisOptions;

/**
 * A connection that always reconnects (quickly at first, then every 2 s):
 * Redis restarts and network blips must not end a subscriber or a publisher.
 */
export function connect(target: RedisTarget, overrides: RedisOptions): Redis {
  const options: RedisOptions = {
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    keepAlive: 10_000,
    ...overrides,
  };
  return typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
}

/**
 * Logs a lost connection once and its return once, instead of an error per
 * reconnect attempt. The listener also stops ioredis from printing
 * "Unhandled error event" to the console.
 */
export function watchConnection(connection: Redis, logger: Logger, context: Record<string, unknown>): void {
  let down = false;
  connection.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ ...context, err: error }, 'Redis connection failed; reconnecting');
  });
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info(context, 'Redis connection restored');
  });
}

export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

export function isBusyGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('BUSYGROUP');
}

/** ioredis's commandTimeout rejection. */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out';
}

/**
 * Closes the connection and waits (briefly) until its socket is really
 * closed, so a stopped service or test leaves nothing open behind it.
 */
export async function disconnect(connection: Redis): Promise<void> {
  const status = connection.status;
  // Call ioredis's disconnect() once only: each call arms a timer on the socket that a second call would leave behind.
  if (status === 'end') return;
  if (status === 'wait' || status === 'close' || status === 'reconnecting') {
    // No open socket to wait for.
    connection.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  connection.disconnect();
  await settlesWithin(ended, 3_000);
}
