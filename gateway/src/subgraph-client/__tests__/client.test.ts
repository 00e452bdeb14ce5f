import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Histogram, Registry } from 'prom-client';
import { SubgraphClient, SubgraphUnavailableError, type SubgraphClientSettings, type SubgraphMetrics } from '..';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** A real HTTP server on loopback whose behaviour a test switches, counting what reaches it. */
class TestSubgraph {
  requests: string[] = [];
  connections = 0;
  handler: Handler = answer;
  private constructor(readonly server: http.Server) {}

  static async start(): Promise<TestSubgraph> {
    const server = http.createServer();
    const subgraph = new TestSubgraph(server);
    server.on('connection', () => subgraph.connections++);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        subgraph.requests.push(body);
        subgraph.handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return subgraph;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const answer: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: { ok: true } }));
};
const reset: Handler = (req) => req.socket.destroy();
const never: Handler = () => undefined;

const QUERY = JSON.stringify({ query: 'query Op__payment__0 { ok }', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation Op__payment__0 { pay }', variables: {} });
const HEADERS = { 'content-type': 'application/json' };

const SETTINGS: SubgraphClientSettings = {
  timeoutMs: 300,
  retries: 2,
  retryBackoffMs: 5,
  connections: 4,
  keepAliveTimeoutMs: 4_000,
  pipelining: 1,
  circuit: { errorThresholdPercentage: 50, volumeThreshold: 4, windowMs: 10_000, resetTimeoutMs: 200 },
};

const opened: SubgraphClient[] = [];
const servers: TestSubgraph[] = [];
let registry: Registry;
let metrics: SubgraphMetrics;

function clientFor(url: string, settings: Partial<SubgraphClientSettings> = {}): SubgraphClient {
  const client = new SubgraphClient({ ...SETTINGS, ...settings, name: 'payment', url, metrics });
  opened.push(client);
  return client;
}

async function subgraph(): Promise<TestSubgraph> {
  const started = await TestSubgraph.start();
  servers.push(started);
  return started;
}

const post = (client: SubgraphClient, body = QUERY) => client.fetcher('ignored', { method: 'POST', headers: HEADERS, body });

async function failure(promise: Promise<unknown>): Promise<SubgraphUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SubgraphUnavailableError)) throw new Error(`expected SubgraphUnavailableError, got ${String(error)}`);
  return error;
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const matches = (entry: { labels: Record<string, unknown> }) => Object.entries(labels).every(([key, value]) => entry.labels[key] === value);
  return metric?.values.find((entry) => matches(entry as never))?.value;
}

/** A port nothing listens on: a server is started, its port noted, and the server closed. */
async function refusedUrl(): Promise<string> {
  const closed = await TestSubgraph.start();
  const url = closed.url;
  await closed.stop();
  return url;
}

beforeEach(() => {
  registry = new Registry();
  const registers = [registry];
  metrics = {
    subgraphFetchDuration: new Histogram({ name: 'fetch_seconds', help: 'fetches', labelNames: ['subgraph', 'outcome'], registers }),
    circuitState: new Gauge({ name: 'circuit_state', help: 'circuits', labelNames: ['subgraph'], registers }),
  };
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

describe('SubgraphClient', () => {
  it('answers through kept-alive connections, body read once, headers readable', async () => {
    const server = await subgraph();
    const client = clientFor(server.url);
    for (let i = 0; i < 20; i++) {
      const response = await post(client);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('application/json');
      expect(await response.json()).toEqual({ data: { ok: true } });
    }
    expect(server.requests).toHaveLength(20);
    // undici may open a second connection while the first is being released; never one per request.
    expect(server.connections).toBeLessThanOrEqual(2);
    expect(await metricValue('fetch_seconds', { subgraph: 'payment', outcome: 'ok', le: '+Inf' })).toBe(20);
  });

  it('hands an HTTP error answer back as a response (Apollo decides what it means), 503 as unavailable', async () => {
    const server = await subgraph();
    const client = clientFor(server.url);
    server.handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom at db-primary.internal:3306');
    };
    const response = await post(client);
    expect(response.status).toBe(500);
    expect(response.ok).toBe(false);
    expect(await response.text()).toContain('boom');

    server.handler = (_req, res) => {
      res.writeHead(503);
      res.end();
    };
    const error = await failure(post(client));
    expect(error.reason).toBe('status');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a query whose connection was reset, and succeeds once the subgraph answers', async () => {
    const server = await subgraph();
    const client = clientFor(server.url);
    let resets = 2;
    server.handler = (req, res, body) => (resets-- > 0 ? reset(req, res, body) : answer(req, res, body));
    const response = await post(client, QUERY);
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on a query after the configured retries', async () => {
    const server = await subgraph();
    const client = clientFor(server.url, { retries: 1 });
    server.handler = reset;
    const error = await failure(post(client, QUERY));
    expect(error.reason).toBe('connection');
    expect(server.requests).toHaveLength(2);
  });

  it('never sends a mutation twice, even when its connection was reset', async () => {
    const server = await subgraph();
    const client = clientFor(server.url);
    server.handler = reset;
    const error = await failure(post(client, MUTATION));
    expect(error.reason).toBe('connection');
    expect(server.requests).toEqual([MUTATION]);
  });

  it('ends a fetch the subgraph never answers at its timeout, and frees the connection', async () => {
    const server = await subgraph();
    const client = clientFor(server.url, { connections: 1 });
    server.handler = never;
    const error = await failure(post(client, QUERY));
    expect(error.reason).toBe('timeout');
    expect(error.message).not.toMatch(/127\.0\.0\.1|localhost/);
    // Only one connection is allowed: the next fetch gets through because the hung one was aborted.
    server.handler = answer;
    expect((await post(client)).status).toBe(200);
    expect(await metricValue('fetch_seconds', { subgraph: 'payment', outcome: 'timeout', le: '+Inf' })).toBe(1);
  });

  it('reports a refused connection as unavailable, without a host name in the message', async () => {
    const client = clientFor(await refusedUrl());
    const error = await failure(post(client));
    expect(error.reason).toBe('connection');
    expect(error.message).toBe('The payment service is unavailable (connection).');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('opens the circuit after failures, fails fast while open, and closes by itself when the subgraph is back', async () => {
    const server = await subgraph();
    const client = clientFor(server.url, { retries: 0 });
    server.handler = reset;
    for (let i = 0; i < 4; i++) await failure(post(client));
    expect(client.circuitState).toBe('open');
    expect(await metricValue('circuit_state', { subgraph: 'payment' })).toBe(2);

    const seen = server.requests.length;
    const fast = await failure(post(client));
    expect(fast.reason).toBe('circuit_open');
    expect(server.requests).toHaveLength(seen);

    server.handler = answer;
    while (client.circuitState === 'open') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.circuitState).toBe('half-open');
    expect(await metricValue('circuit_state', { subgraph: 'payment' })).toBe(1);
    expect((await post(client)).status).toBe(200);
    expect(client.circuitState).toBe('closed');
    expect(await metricValue('circuit_state', { subgraph: 'payment' })).toBe(0);
  });

  it('a failed probe opens the circuit again', async () => {
    const server = await subgraph();
    const client = clientFor(server.url, { retries: 0 });
    server.handler = reset;
    for (let i = 0; i < 4; i++) await failure(post(client));
    while (client.circuitState === 'open') await new Promise((resolve) => setTimeout(resolve, 20));
    await failure(post(client));
    expect(client.circuitState).toBe('open');
  });

  it('an HTTP error answer does not count against the circuit (the subgraph is there)', async () => {
    const server = await subgraph();
    const client = clientFor(server.url);
    server.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] }));
    };
    for (let i = 0; i < 8; i++) expect((await post(client)).status).toBe(400);
    expect(client.circuitState).toBe('closed');
  });
});
