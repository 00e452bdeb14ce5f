import { MYSQL_URL, waitUntil } from '@harbour/testing';
import { createPool } from 'mariadb';
import { clientOperationName, createSubgraphMetrics } from '../metrics';

/** One series' value in the registry's Prometheus text (undefined when absent). */
async function valueOf(metrics: ReturnType<typeof createSubgraphMetrics>, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const wanted = Object.entries({ ...labels }).map(([key, value]) => `${key}="${value}"`);
  const line = (await metrics.registry.metrics()).split('\n').find((text) => text.startsWith(`${name}{`) && wanted.every((pair) => text.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('a subgraph’s metrics', () => {
  it('label a gateway fetch by the client operation it serves', () => {
    expect(clientOperationName('Me__user__0')).toBe('Me');
    expect(clientOperationName('PayPaymentRequest__payment__12')).toBe('PayPaymentRequest');
    expect(clientOperationName('With__Underscores__timeline__3')).toBe('With__Underscores');
    expect(clientOperationName('Plain')).toBe('Plain');
    expect(clientOperationName(undefined)).toBeUndefined();
  });

  it('read each outbox relay at scrape time, in seconds, and leave out a relay whose database does not answer', async () => {
    const metrics = createSubgraphMetrics('payment', { defaultMetrics: false });
    let lagMs = 2_500;
    metrics.outboxRelay('bus', async () => ({ published: 7, failures: 2, lagMs }));
    metrics.outboxRelay('analytics', async () => {
      throw new Error('connection lost');
    });
    expect(await valueOf(metrics, 'harbour_outbox_lag_seconds', { destination: 'bus', subgraph: 'payment' })).toBe(2.5);
    expect(await valueOf(metrics, 'harbour_outbox_published_total', { destination: 'bus' })).toBe(7);
    expect(await valueOf(metrics, 'harbour_outbox_failures_total', { destination: 'bus' })).toBe(2);
    expect(await valueOf(metrics, 'harbour_outbox_lag_seconds', { destination: 'analytics' })).toBeUndefined();
    lagMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the one read a scrape shares
    expect(await valueOf(metrics, 'harbour_outbox_lag_seconds', { destination: 'bus' })).toBe(0);
  });

  it('count consumed events by outcome and observe the age of those handled', async () => {
    const metrics = createSubgraphMetrics('timeline', { defaultMetrics: false });
    metrics.eventConsumed('timeline', 'applied', 0.2);
    metrics.eventConsumed('timeline', 'applied', 30);
    metrics.eventConsumed('timeline', 'skipped', 0);
    expect(await valueOf(metrics, 'harbour_events_consumed_total', { group: 'timeline', outcome: 'applied' })).toBe(2);
    expect(await valueOf(metrics, 'harbour_events_consumed_total', { group: 'timeline', outcome: 'skipped' })).toBe(1);
    expect(await valueOf(metrics, 'harbour_event_consumer_lag_seconds_count', { group: 'timeline' })).toBe(2);
    expect(await valueOf(metrics, 'harbour_event_consumer_lag_seconds_bucket', { group: 'timeline', le: '1' })).toBe(1);
  });

  it('report a real pool’s connections as it lends them', async () => {
    const url = new URL(MYSQL_URL);
    const pool = createPool({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username) || 'root', password: decodeURIComponent(url.password), connectionLimit: 3, minimumIdle: 1 });
    try {
      const metrics = createSubgraphMetrics('user', { defaultMetrics: false });
      metrics.watchPool('primary', pool, 3);
      const held = await pool.getConnection();
      expect(await valueOf(metrics, 'harbour_db_pool_connections', { pool: 'primary', state: 'active' })).toBe(1);
      // The driver keeps minimumIdle spare: one more opens beside the one lent out.
      await waitUntil(async () => (await valueOf(metrics, 'harbour_db_pool_connections', { pool: 'primary', state: 'idle' })) === 1, 'a spare connection');
      expect(await valueOf(metrics, 'harbour_db_pool_max_connections', { pool: 'primary' })).toBe(3);
      await held.release();
      expect(await valueOf(metrics, 'harbour_db_pool_connections', { pool: 'primary', state: 'active' })).toBe(0);
      expect(await valueOf(metrics, 'harbour_db_pool_connections', { pool: 'primary', state: 'idle' })).toBe(2);
      expect(await valueOf(metrics, 'harbour_db_pool_waiting', { pool: 'primary' })).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
