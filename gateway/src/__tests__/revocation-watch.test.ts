import { createLogger } from '@harbour/logger';
import { deleteRedisPrefix, killRedisPubSubClient, REDIS_URL, redisPubSubClientId, uniqueRunId, waitUntil } from '@harbour/testing';
import { Redis } from 'ioredis';
import { RevocationWatch } from '../revocation-watch';

/** The watch against a real Redis: what Redis announces, and what happens when the announcements may be missed. */
describe('RevocationWatch', () => {
  const prefix = `hbt:${uniqueRunId()}:revoked-session:`;
  const redis = new Redis(REDIS_URL);
  const writer = new Redis(REDIS_URL);
  let watch: RevocationWatch;

  const watchConnection = `harbour-gateway-revocations-${process.pid}`;

  beforeEach(async () => {
    watch = new RevocationWatch(redis, prefix, createLogger('revocation-watch-test', 'silent'));
    await waitUntil(() => watch.isWatching, 'the watch is on');
  });
  afterEach(() => watch.close());
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
    writer.disconnect();
  });

  it('remembers nothing before tracking is on', () => {
    const early = new RevocationWatch(redis, prefix, createLogger('revocation-watch-test', 'silent'));
    try {
      early.remember('ses_early', early.mark);
      expect(early.knowsNotRevoked('ses_early')).toBe(false);
    } finally {
      early.close();
    }
  });

  it('forgets a session the moment any client writes its revocation', async () => {
    watch.remember('ses_a', watch.mark);
    watch.remember('ses_b', watch.mark);
    expect(watch.knowsNotRevoked('ses_a')).toBe(true);
    await writer.set(`${prefix}ses_a`, '1', 'EX', 60);
    await waitUntil(() => !watch.knowsNotRevoked('ses_a'), 'ses_a is forgotten');
    expect(watch.knowsNotRevoked('ses_b')).toBe(true);
  });

  it('forgets every key of a multi-key write', async () => {
    watch.remember('ses_m1', watch.mark);
    watch.remember('ses_m2', watch.mark);
    watch.remember('ses_m3', watch.mark);
    await writer.mset(`${prefix}ses_m1`, '1', `${prefix}ses_m2`, '1');
    await waitUntil(() => !watch.knowsNotRevoked('ses_m1') && !watch.knowsNotRevoked('ses_m2'), 'both are forgotten');
    expect(watch.knowsNotRevoked('ses_m3')).toBe(true);
  });

  it('is not told of writes outside the revocation keys', async () => {
    watch.remember('ses_c', watch.mark);
    const mark = watch.mark;
    await writer.set(`${prefix.replace('revoked-session:', 'other:')}ses_c`, '1', 'EX', 60);
    // A write of a revocation key afterwards is announced; the one before it was not.
    await writer.set(`${prefix}ses_marker`, '1', 'EX', 60);
    await waitUntil(() => watch.mark !== mark, 'the marker is announced');
    expect(watch.mark).toBe(mark + 1);
    expect(watch.knowsNotRevoked('ses_c')).toBe(true);
  });

  it('does not keep an answer read while a revocation was announced', async () => {
    const mark = watch.mark;
    await writer.set(`${prefix}ses_other`, '1', 'EX', 60);
    await waitUntil(() => watch.mark !== mark, 'the write is announced');
    watch.remember('ses_d', mark);
    expect(watch.knowsNotRevoked('ses_d')).toBe(false);
  });

  it('forgets everything and stops remembering while its connection is down, then watches again', async () => {
    watch.remember('ses_e', watch.mark);
    await killRedisPubSubClient(watchConnection);
    await waitUntil(() => !watch.isWatching, 'the watch is off');
    expect(watch.knowsNotRevoked('ses_e')).toBe(false);
    await waitUntil(() => watch.isWatching, 'the watch is back');
    expect(watch.knowsNotRevoked('ses_e')).toBe(false);
    // The new connection is told of revocations too.
    watch.remember('ses_f', watch.mark);
    await writer.set(`${prefix}ses_f`, '1', 'EX', 60);
    await waitUntil(() => !watch.knowsNotRevoked('ses_f'), 'ses_f is forgotten');
  });

  it('stops watching when closed', async () => {
    watch.close();
    watch.remember('ses_g', watch.mark);
    expect(watch.isWatching).toBe(false);
    expect(watch.knowsNotRevoked('ses_g')).toBe(false);
    await waitUntil(async () => (await redisPubSubClientId(watchConnection)) === undefined, 'its connection is gone');
  });
});
