/**
 * Observability of the running stack: Prometheus series at the gateway's
 * `/metrics` for what the contract's operations do (requests and latency
 * per operation, subgraph fetches, errors by code, open subscriptions, plan
 * cache), one request id and trace id from the caller through the gateway
 * into a subgraph's log lines, and the request's spans exported over OTLP
 * to a collector (a small HTTP server here).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contractOperation as op } from './support/contract';
import { ok, signUp, type Actor } from './support/actors';
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

/** The gateway's `/metrics`, parsed from Prometheus's text format. */
async function scrape(): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${stack.ports.gateway}/metrics`);
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
  const ancestors: string[] = [];
  for (let parent = fetch.parentSpanId && byId.get(fetch.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) ancestors.push(parent.spanId);
  expect(ancestors).toContain(request.spanId);
});
