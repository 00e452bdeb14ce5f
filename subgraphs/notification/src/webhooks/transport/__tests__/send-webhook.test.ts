/**
 * One webhook attempt against real HTTP receivers on 127.0.0.1 (policy
 * 'any'), and the DNS-rebinding defence under policy 'public' with injected
 * lookups: a refused address is never connected to, and a host is resolved
 * once, so a second, different answer cannot redirect the connection.
 */
import http from 'node:http';
import { RESPONSE_BODY_LIMIT_BYTES, sendWebhook, type LookupFn, type WebhookRequest } from '..';
import { closedPort, startReceiver, type Receiver } from './receivers';

const receivers: Receiver[] = [];

async function receiver(respond: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(respond);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((started) => started.close()));
});

function post(url: string, overrides: Partial<WebhookRequest> = {}) {
  return sendWebhook({
    url,
    headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1' },
    body: '{"type":"webhook.test"}',
    timeoutMs: 2_000,
    policy: 'any',
    ...overrides,
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sendWebhook against a local receiver', () => {
  it('POSTs the headers and body and reports a 200 as ok', async () => {
    const target = await receiver((_request, response) => response.end('thanks'));
    const body = '{"type":"payment.completed","note":"café ☕"}';
    const result = await post(`${target.url}/hooks/in?tenant=7`, { body });

    expect(result).toEqual({
      ok: true,
      status: 200,
      durationMs: expect.any(Number),
      responseBody: 'thanks',
      error: null,
      connectedAddress: '127.0.0.1',
    });
    const [received] = target.requests;
    expect(received).toMatchObject({ method: 'POST', path: '/hooks/in?tenant=7', body });
    expect(received!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'content-length': String(Buffer.byteLength(body)),
      host: `127.0.0.1:${target.port}`,
    });
  });

  it('reports a 500 as not ok, with its status and body', async () => {
    const target = await receiver((_request, response) => {
      response.statusCode = 500;
      response.end('database on fire');
    });
    expect(await post(target.url)).toMatchObject({
      ok: false,
      status: 500,
      responseBody: 'database on fire',
      error: 'receiver answered HTTP 500',
    });
  });

  it.each([301, 302, 303, 307, 308])('does not follow a %i redirect', async (status) => {
    const elsewhere = await receiver((_request, response) => response.end('should never be reached'));
    const target = await receiver((_request, response) => {
      response.writeHead(status, { location: `${elsewhere.url}/stolen` });
      response.end();
    });

    const result = await post(target.url);
    await pause(50);

    expect(result).toMatchObject({ ok: false, status, error: `redirect not followed (HTTP ${status})` });
    expect(target.requests).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('gives up on a receiver that never answers within the timeout, and closes the connection', async () => {
    let closedByUs: Promise<void> = Promise.resolve();
    const target = await receiver((request) => {
      closedByUs = new Promise((closed) => request.socket.once('close', () => closed()));
    });

    const started = Date.now();
    const result = await post(target.url, { timeoutMs: 300 });
    const elapsed = Date.now() - started;

    expect(result).toMatchObject({ ok: false, status: null, error: 'no answer within 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
    await expect(closedByUs).resolves.toBeUndefined();
  });

  it('counts a body that stalls after a 200 as no answer, keeping what arrived', async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(200);
      response.write('partial');
    });
    expect(await post(target.url, { timeoutMs: 300 })).toMatchObject({
      ok: false,
      status: 200,
      responseBody: 'partial',
      error: 'no answer within 300 ms',
    });
  });

  it(`keeps at most ${RESPONSE_BODY_LIMIT_BYTES} bytes of a big answer`, async () => {
    const target = await receiver((_request, response) => response.end('x'.repeat(1_000_000)));
    const result = await post(target.url);
    expect(result.ok).toBe(true);
    expect(result.responseBody).toBe('x'.repeat(RESPONSE_BODY_LIMIT_BYTES));
  });

  it('stops reading an answer that never ends once it has enough', async () => {
    const target = await receiver((_request, response) => {
      const chunk = 'y'.repeat(16_384);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
      };
      response.on('drain', pump);
      pump();
    });
    const result = await post(target.url, { timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(result.responseBody).toHaveLength(RESPONSE_BODY_LIMIT_BYTES);
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    expect(await post(`http://127.0.0.1:${port}/in`)).toEqual({
      ok: false,
      status: null,
      durationMs: expect.any(Number),
      responseBody: '',
      error: 'connection refused',
      connectedAddress: null,
    });
  });

  it.each([
    ['garbage', 'not a url', 'invalid URL'],
    ['another scheme', 'ftp://127.0.0.1/in', 'unsupported scheme ftp:'],
  ])('reports %s as a failed attempt instead of throwing', async (_name, url, error) => {
    expect(await post(url)).toMatchObject({ ok: false, status: null, error });
  });

  it('reports a header Node refuses to send as a failed attempt instead of throwing', async () => {
    const target = await receiver((_request, response) => response.end());
    const result = await post(target.url, { headers: { 'x-bad': 'line\r\nbreak' } });
    expect(result).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/x-bad/) });
    expect(target.requests).toHaveLength(0);
  });
});

describe("sendWebhook under the 'public' policy (DNS rebinding)", () => {
  it('refuses a hostname resolving to loopback before connecting', async () => {
    const target = await receiver((_request, response) => response.end());
    const lookup: LookupFn = async () => [{ address: '127.0.0.1', family: 4 }];

    const result = await post(`http://rebind.example:${target.port}/in`, { policy: 'public', lookup });

    expect(result).toMatchObject({
      ok: false,
      status: null,
      error: 'rebind.example resolves to 127.0.0.1, a loopback address',
      connectedAddress: null,
    });
    expect(target.connections).toBe(0);
  });

  it('refuses a literal loopback URL before connecting', async () => {
    const target = await receiver((_request, response) => response.end());
    const result = await post(`http://127.0.0.1:${target.port}/in`, { policy: 'public' });
    expect(result).toMatchObject({ ok: false, error: 'host 127.0.0.1 is a loopback address' });
    expect(target.connections).toBe(0);
  });

  it('resolves once: a later loopback answer never reaches the connection', async () => {
    const target = await receiver((_request, response) => response.end('rebound'));
    let calls = 0;
    // A hostile DNS server: public for the check, loopback for anyone who asks again.
    const lookup: LookupFn = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '8.8.8.8' : '127.0.0.1', family: 4 }];
    };
    // Record what the socket is told to connect to, then fail that lookup, so
    // the test proves the target without sending anything to 8.8.8.8.
    const handedToSocket: unknown[] = [];
    const realRequest = http.request;
    const spy = jest.spyOn(http, 'request').mockImplementation(((options: http.RequestOptions) => {
      const pinned = options.lookup!;
      return realRequest({
        ...options,
        lookup: (hostname, lookupOptions, callback) =>
          pinned(hostname, lookupOptions, (_error, address) => {
            handedToSocket.push(address);
            callback(Object.assign(new Error('no network in tests'), { code: 'ENETUNREACH' }), '');
          }),
      });
    }) as typeof http.request);

    try {
      const result = await post(`http://rebind.example:${target.port}/in`, { policy: 'public', lookup, timeoutMs: 1_000 });
      expect(result).toMatchObject({ ok: false, error: 'network unreachable', connectedAddress: null });
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(1);
    expect(handedToSocket.length).toBeGreaterThan(0);
    expect(JSON.stringify(handedToSocket)).toContain('8.8.8.8');
    expect(JSON.stringify(handedToSocket)).not.toContain('127.0.0.1');
    expect(target.connections).toBe(0);
  });

  it('times out a lookup that never answers', async () => {
    const hanging: LookupFn = () => new Promise(() => {});
    expect(await post('http://slow-dns.example/in', { policy: 'public', lookup: hanging, timeoutMs: 300 })).toMatchObject({
      ok: false,
      error: 'no answer within 300 ms',
    });
  });
});
