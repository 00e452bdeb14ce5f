import { Writable } from 'node:stream';
import { deleteRedisPrefix, freePorts, REDIS_URL, uniqueRunId } from '@harbour/testing';
import { TcpProxy } from '@harbour/tests/support/tcp-proxy';
import { Redis } from 'ioredis';
import pino from 'pino';
import { gatewayRedisOptions } from '../../config';
import { createGatewayMetrics } from '../../observability/metrics';
import { ApqStore } from '../apq-store';
import { sha256Hex } from '../manifest';

const prefix = `hbt:${uniqueRunId()}:`;
const connections: Redis[] = [];
const proxies: TcpProxy[] = [];

/** A Redis client as the gateway makes one (gatewayRedisOptions: no offline queue, so a dead Redis fails at once); it disconnects quickly here. */
function connect(url: string): Redis {
  const redis = new Redis(url, { ...gatewayRedisOptions({ redisCommandTimeoutMs: 500 }), disconnectTimeout: 100 });
  redis.on('error', () => undefined);
  connections.push(redis);
  return redis;
}

/** A store with its own metrics and a logger whose lines the test reads. */
function store(redis: Redis) {
  const lines: Array<{ level: number; msg: string; failuresNotLogged?: number }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const metrics = createGatewayMetrics({ defaultMetrics: false });
  const apq = new ApqStore({ redis, redisKeyPrefix: prefix, logger: pino({ level: 'info' }, sink), metrics });
  const failures = async () => (await metrics.redisFailures.get()).values.find((value) => value.labels.component === 'apq')?.value ?? 0;
  return { apq, lines, failures };
}

const text = 'query Mine { me { id displayName } }';
const key = `apq:${sha256Hex(text)}`;
const ready = (redis: Redis) => new Promise((resolve) => (redis.status === 'ready' ? resolve(undefined) : redis.once('ready', resolve)));

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  for (const redis of connections) redis.disconnect();
  await deleteRedisPrefix(prefix);
});

it('a registration on one replica is found by another through Redis, under REDIS_KEY_PREFIX, with its TTL', async () => {
  const [a, b, inspector] = [connect(REDIS_URL), connect(REDIS_URL), connect(REDIS_URL)];
  await Promise.all([a, b, inspector].map(ready));
  const replicaA = store(a);
  const replicaB = store(b);
  expect(await replicaB.apq.get(key)).toBeUndefined();
  await replicaA.apq.set(key, text, { ttl: 60 });
  expect(await inspector.get(`${prefix}${key}`)).toBe(text);
  const ttl = await inspector.ttl(`${prefix}${key}`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60);
  expect(await replicaB.apq.get(key)).toBe(text);
  expect(await replicaA.failures()).toBe(0);
  expect(await replicaB.failures()).toBe(0);
});

it('with Redis unreachable, registrations live in the process: counted as apq failures, logged once', async () => {
  const [deadPort] = await freePorts(1);
  const replica = store(connect(`redis://127.0.0.1:${deadPort}`));
  expect(await replica.apq.get(key)).toBeUndefined();
  await replica.apq.set(key, text, { ttl: 60 });
  expect(await replica.apq.get(key)).toBe(text);
  expect(await replica.apq.get('apq:unknown')).toBeUndefined();
  // get (miss), set, get (unknown): the hit was served in-process without asking Redis.
  expect(await replica.failures()).toBe(3);
  const warnings = replica.lines.filter((line) => line.level === 40);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.msg).toBe('apq: Redis unavailable, degrading');
});

it('Redis cut while running: what this replica registered keeps working, new registrations too; then Redis is back', async () => {
  const proxy = await TcpProxy.listen({ host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) });
  proxies.push(proxy);
  proxy.open();
  const redis = connect(`redis://127.0.0.1:${proxy.port}`);
  await ready(redis);
  const replica = store(redis);
  await replica.apq.set(key, text, { ttl: 60 });

  proxy.cut();
  const other = 'query Other { me { id } }';
  await replica.apq.set(`apq:${sha256Hex(other)}`, other, { ttl: 60 });
  expect(await replica.apq.get(key)).toBe(text);
  expect(await replica.apq.get(`apq:${sha256Hex(other)}`)).toBe(other);
  expect(await replica.failures()).toBeGreaterThan(0);

  proxy.open();
  await ready(redis);
  expect(await replica.apq.get('apq:unknown')).toBeUndefined();
  expect(replica.lines.map((line) => line.msg)).toEqual(['apq: Redis unavailable, degrading', 'apq: Redis is back']);
});
