/**
 * Observability of the running stack: Prometheus series at the gateway's
 * `/metrics` for what the contract's operations do (requests and latency
 * per operation, subgraph fetches, errors by code, open subscriptions, plan
 * cache) and at every subgraph's (requests and latency by operation, the
 * database pool, outbox lag, consumer lag), one request id and trace id
 * from the caller through the gateway into a subgraph's log lines, and the
 * spans of the gateway and the subgraphs exported over OTLP to a collector
 * (a small HTTP server here), joined in one trace.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SUBGRAPHS } from '@harbour/config';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contractOperation as op } from './support/contract';
import { merchantAndCustomer, ok, signUp, type Actor } from './support/actors';
import { errorCodes } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

let stack: RunningStack;
let collector: http.Server;
const exportRequests: Array<{ contentType: string | undefined; body: string }> = [];
const sockets: LiveClient[] = [];

/** An OTLP/HTTP collector that keeps what it is sent. */
async function startCollector(): Promise<number> {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') exportRequests.push({ contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  return (collector.address() as AddressInfo).port;
}

/** Every span the collector received (OTLP JSON: resource spans, scope spans, spans). */
function exportedSpans(): ExportedSpan[] {
  return exportRequests.flatMap(({ body }) =>
    (JSON.parse(body).resourceSpans ?? []).flatMap((resourceSpans: any) => {
      const service = resourceSpans.resource?.attributes?.find((attribute: any) => attribute.key === 'service.name')?.value?.stringValue;
      return (resourceSpans.scopeSpans ?? []).flatMap((scope: any) => scope.spans.map((span: any) => ({ ...span, service })));
    }),
  );
}

/** A service's `/metrics` (the gateway's unless named), parsed from Prometheus's text format. */
async function scrape(service = 'gateway'): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${stack.ports[service]}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`Not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of one series (0 when absent). */
function sample(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((entry) => entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value));
  return found.reduce((sum, entry) => sum + entry.value, 0);
}

/** Polls until `check` passes (a guard against hangs, not a latency assertion). */
async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

let customer: Actor;

beforeAll(async () => {
  const collectorPort = await startCollector();
  stack = await startStack({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    // Spans are sent within half a second, not the default five.
    OTEL_BSP_SCHEDULE_DELAY: '500',
    // Every request's log line, in the gateway and in each subgraph.
    LOG_LEVEL: 'debug',
  });
  customer = await signUp(stack, 'Lau Tai Man');
}, stackStartTimeout(150_000));

afterAll(async () => {
  for (const { client } of sockets) await client.dispose();
  await stack?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

it('counts each operation, its latency, its subgraph fetches, its errors by code, and the plan cache', async () => {
  ok(await customer.run('Me'));
  ok(await customer.run('Me'));
  expect(errorCodes(await stack.graphql(op('Me'), {}, { token: 'not-a-token' }))).toEqual(['UNAUTHENTICATED']);
  expect(errorCodes(await customer.run('TopUpWallet', { input: { amount: '1.001', idempotencyKey: randomUUID() } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await stack.graphql('query Broken { me {'))).toEqual(['GRAPHQL_PARSE_FAILED']);

  const samples = await scrape();
  expect(sample(samples, 'harbour_gateway_requests_total', { operation: 'SignUp', type: 'mutation' })).toBe(1);
  expect(sample(samples, 'harbour_gateway_requests_total', { operation: 'Me', type: 'query' })).toBe(2);
  expect(sample(samples, 'harbour_gateway_requests_total', { operation: 'TopUpWallet', type: 'mutation' })).toBe(1);
  expect(sample(samples, 'harbour_gateway_request_duration_seconds_count', { operation: 'Me', type: 'query' })).toBe(2);
  expect(sample(samples, 'harbour_gateway_request_duration_seconds_bucket', { operation: 'Me', type: 'query', le: '+Inf' })).toBe(2);
  expect(sample(samples, 'harbour_gateway_request_duration_seconds_sum', { operation: 'Me', type: 'query' })).toBeGreaterThan(0);

  // Me reads the user subgraph; SignUp and Me both reached it, and every fetch answered.
  expect(sample(samples, 'harbour_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'user', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
  expect(sample(samples, 'harbour_gateway_subgraph_fetch_duration_seconds_count', { outcome: 'error' })).toBe(0);

  expect(sample(samples, 'harbour_gateway_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
  expect(sample(samples, 'harbour_gateway_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
  expect(sample(samples, 'harbour_gateway_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  expect(sample(samples, 'harbour_gateway_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBe(0);

  // Me was planned once and then found; every operation that reached the planner was looked up once.
  expect(sample(samples, 'harbour_gateway_query_plan_cache_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
  expect(sample(samples, 'harbour_gateway_query_plan_cache_total', { result: 'miss' })).toBeGreaterThanOrEqual(2);
  expect(sample(samples, 'harbour_gateway_query_plan_cache_total')).toBe(sample(samples, 'harbour_gateway_requests_total') - 1 /* the parse failure */);
});

it('every subgraph serves /metrics: requests and latency by operation, its database pool, outbox lag and consumer lag', async () => {
  // A payment: the user, business and payment subgraphs write events; timeline, notification and social consume them.
  const { merchant, customer: payer, businessId } = await merchantAndCustomer(stack, 'Metrics');
  ok(await payer.run('TopUpWallet', { input: { amount: '50.00', idempotencyKey: randomUUID() } }));
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount: '12.50' } })).createPaymentRequest;
  ok(await payer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }));
  expect(errorCodes(await payer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: randomUUID() } }))).toEqual(['PAYMENT_REQUEST_NOT_PAYABLE']);

  const scraped = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (name) => [name, await scrape(name)] as const)));
  for (const name of SUBGRAPHS) {
    const samples = scraped[name]!;
    expect({ name, subgraph: [...new Set(samples.map((entry) => entry.labels.subgraph))] }).toEqual({ name, subgraph: [name] });
    // The pool of DATABASE_POOL_SIZE (5 by default), open since readiness asked the database.
    expect({ name, max: sample(samples, 'harbour_db_pool_max_connections', { pool: 'primary' }) }).toEqual({ name, max: 5 });
    const open = sample(samples, 'harbour_db_pool_connections', { pool: 'primary' });
    expect({ name, open: open >= 1 && open <= 5 }).toEqual({ name, open: true });
    expect(samples.some((entry) => entry.name === 'harbour_db_pool_waiting')).toBe(true);
  }

  // Requests by the client's operation (the gateway's fetch names, `SignUp__user__0`, are labelled `SignUp`).
  expect(sample(scraped.user!, 'harbour_subgraph_requests_total', { operation: 'SignUp', type: 'mutation' })).toBeGreaterThanOrEqual(2);
  expect(sample(scraped.user!, 'harbour_subgraph_request_duration_seconds_count', { operation: 'SignUp', type: 'mutation' })).toBeGreaterThanOrEqual(2);
  expect(sample(scraped.payment!, 'harbour_subgraph_requests_total', { operation: 'PayPaymentRequest', type: 'mutation' })).toBe(2);
  expect(sample(scraped.business!, 'harbour_subgraph_requests_total', { operation: 'RegisterBusiness', type: 'mutation' })).toBe(1);
  // Errors by the contract code the payment subgraph answered with.
  expect(sample(scraped.payment!, 'harbour_subgraph_errors_total', { code: 'PAYMENT_REQUEST_NOT_PAYABLE' })).toBe(1);
  expect(sample(scraped.payment!, 'harbour_subgraph_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBe(0);

  // Outbox lag per destination: every subgraph that writes events reports it, and it returns to 0 once relayed.
  for (const name of ['user', 'business', 'payment', 'social']) {
    await eventually(async () => {
      const samples = await scrape(name);
      expect({ name, lagged: samples.some((entry) => entry.name === 'harbour_outbox_lag_seconds' && entry.labels.destination === 'bus') }).toEqual({ name, lagged: true });
      expect({ name, lag: sample(samples, 'harbour_outbox_lag_seconds', { destination: 'bus' }) }).toEqual({ name, lag: 0 });
    });
  }
  for (const name of ['user', 'business', 'payment']) {
    expect({ name, published: sample(await scrape(name), 'harbour_outbox_published_total', { destination: 'bus' }) >= 1 }).toEqual({ name, published: true });
  }

  // Consumer lag: how old each event was when its group applied it.
  for (const group of ['timeline', 'notification', 'social']) {
    await eventually(async () => {
      const samples = await scrape(group);
      expect({ group, applied: sample(samples, 'harbour_events_consumed_total', { group, outcome: 'applied' }) >= 3 }).toEqual({ group, applied: true });
      expect({ group, lagged: sample(samples, 'harbour_event_consumer_lag_seconds_count', { group }) >= 3 }).toEqual({ group, lagged: true });
      expect(sample(samples, 'harbour_event_consumer_lag_seconds_sum', { group })).toBeGreaterThan(0);
      expect(sample(samples, 'harbour_events_consumed_total', { group, outcome: 'failed' })).toBe(0);
    });
  }
});

it('says whether the revocation watch is on, and how each revocation check was answered', async () => {
  await eventually(async () => expect(sample(await scrape(), 'harbour_gateway_revocation_watch')).toBe(1));
  const before = await scrape();
  const reader = await signUp(stack, 'Chan Siu Ming');
  ok(await reader.run('Me'));
  ok(await reader.run('Me'));
  ok(await reader.run('Me'));
  const after = await scrape();
  const delta = (answer: string) =>
    sample(after, 'harbour_gateway_revocation_checks_total', { answer }) - sample(before, 'harbour_gateway_revocation_checks_total', { answer });
  // A new session is asked about once; while the watch is on, the later requests are answered from memory.
  expect(delta('redis')).toBe(1);
  expect(delta('remembered')).toBe(2);
  expect(delta('failed_open')).toBe(0);
});

it('counts a subscription while it is open, and no longer once the client closes it', async () => {
  const socket = liveClient(stack.gatewayUrl, customer.token);
  sockets.push(socket);
  const notifications = new Collected(socket.client, op('NotificationAdded'));
  const open = await eventually(async () => {
    const samples = await scrape();
    expect(sample(samples, 'harbour_gateway_open_subscriptions')).toBe(1);
    return samples;
  });
  expect(sample(open, 'harbour_gateway_requests_total', { operation: 'NotificationAdded', type: 'subscription' })).toBe(1);

  await socket.client.dispose();
  await notifications.done;
  await eventually(async () => expect(sample(await scrape(), 'harbour_gateway_open_subscriptions')).toBe(0));
});

it('carries the caller’s request id and trace id into the subgraph’s log lines, and exports the request’s spans over OTLP', async () => {
  const traceId = randomBytes(16).toString('hex');
  const requestId = `obs-${randomUUID()}`;
  ok(
    await stack.graphql(op('Me'), {}, {
      token: customer.token,
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-request-id': requestId },
    }),
  );

  const lines = await eventually(() => {
    const found = stack
      .output()
      .split('\n')
      .filter((line) => line.includes(requestId))
      // scripts/start.ts prefixes each service's lines with its name and " | ".
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
    expect(found.map((line) => line.service)).toEqual(expect.arrayContaining(['gateway', 'user']));
    return found;
  });
  for (const line of lines) expect(line).toMatchObject({ requestId, traceId });
  expect(lines.filter((line) => line.service === 'user').map((line) => line.msg)).toContain('graphql request');

  const spans = await eventually(() => {
    const ofTrace = exportedSpans().filter((span) => span.traceId === traceId);
    expect(ofTrace.map((span) => span.name)).toEqual(expect.arrayContaining(['query Me', 'subgraph user']));
    return ofTrace;
  });
  expect(exportRequests[0]!.contentType).toContain('application/json');
  const request = spans.find((span) => span.name === 'query Me')!;
  const fetch = spans.find((span) => span.name === 'subgraph user')!;
  expect(request.service).toBe('harbour-gateway');
  // The subgraph fetch is a descendant of the request span (through @apollo/gateway's own execute and fetch spans).
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const ancestorsOf = (span: ExportedSpan) => {
    const ancestors: string[] = [];
    for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) ancestors.push(parent.spanId);
    return ancestors;
  };
  expect(ancestorsOf(fetch)).toContain(request.spanId);

  // The user subgraph's own span of that fetch, exported by the subgraph, is the fetch's child: one trace across both processes.
  const served = await eventually(() => {
    const found = exportedSpans().filter((span) => span.traceId === traceId && span.service === 'harbour-user');
    expect(found.map((span) => span.name)).toEqual([expect.stringMatching(/^query Me__user__\d+$/)]);
    return found[0]!;
  });
  expect(served.parentSpanId).toBe(fetch.spanId);
  expect(ancestorsOf(served)).toContain(request.spanId);
});
