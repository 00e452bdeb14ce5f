import { Redis } from 'ioredis';
import { REDIS_URL } from './resources';

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The id of the Redis pub/sub connection named `name`, or undefined when
 * there is none. Name connections with the process id: other test runs share
 * the Redis server, and a test must cut only its own.
 */
export async function redisPubSubClientId(name: string): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL);
  try {
    const clients = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const line = clients.find((client) => client.includes(` name=${name} `));
    return line ? /\bid=(\d+)/.exec(line)?.[1] : undefined;
  } finally {
    redis.disconnect();
  }
}

/** Cuts the Redis pub/sub connection named `name` (as a network failure would); throws when there is none. */
export async function killRedisPubSubClient(name: string): Promise<void> {
  const id = await redisPubSubClientId(name);
  if (!id) throw new Error(`No Redis pub/sub connection named ${name}`);
  const redis = new Redis(REDIS_URL);
  try {
    await redis.call('CLIENT', 'KILL', 'ID', id);
  } finally {
    redis.disconnect();
  }
}
