import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_HEADER, signIdentity } from '@harbour/identity';
import { sendJson } from '../http';
import { InternalCallError, internalClient, internalRoute } from '../internal';

const secret = new TextEncoder().encode('i'.repeat(48));

/** A neighbour subgraph's internal path, as business serves one to payment; `slow` never answers. */
async function neighbour() {
  const route = internalRoute(secret, ['payment'], async (query, res, caller) => {
    if (query.get('fail') === '1') return sendJson(res, 503, { error: 'down' });
    if (query.get('slow') === '1') return;
    sendJson(res, query.get('missing') === '1' ? 404 : 200, { echo: query.get('value'), caller });
  });
  const seen: Array<{ requestId: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ requestId: req.headers['x-request-id'] as string | undefined });
    void route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('internal calls between subgraphs', () => {
  let target: Awaited<ReturnType<typeof neighbour>>;
  beforeAll(async () => (target = await neighbour()));
  afterAll(async () => {
    target.server.closeAllConnections();
    await new Promise((resolve) => target.server.close(resolve));
  });

  it('asks as the calling service, with the request id, over reused connections; a 404 is an answer', async () => {
    const get = internalClient('business', target.url, { caller: 'payment', identitySecret: secret });
    for (let i = 0; i < 5; i++) {
      expect(await get('/internal/x', { value: `v${i}` }, `req-${i}-abcdef`)).toEqual({ status: 200, body: { echo: `v${i}`, caller: 'payment' } });
    }
    expect(await get('/internal/x', { missing: '1' })).toEqual({ status: 404, body: { echo: null, caller: 'payment' } });
    expect(target.seen.slice(0, 5).map((request) => request.requestId)).toEqual(['req-0-abcdef', 'req-1-abcdef', 'req-2-abcdef', 'req-3-abcdef', 'req-4-abcdef']);
  });

  it('turns a 5xx, a refusal, silence past the timeout and a closed port into InternalCallError naming the service', async () => {
    const get = internalClient('business', target.url, { caller: 'payment', identitySecret: secret, timeoutMs: 300 });
    await expect(get('/internal/x', { fail: '1' })).rejects.toThrow(new InternalCallError('business', 'business answered /internal/x with HTTP 503'));
    const started = Date.now();
    await expect(get('/internal/x', { slow: '1' })).rejects.toBeInstanceOf(InternalCallError);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Not a principal the route admits: 403, an error for the caller.
    const asUser = internalClient('business', target.url, { caller: 'user', identitySecret: secret });
    await expect(asUser('/internal/x', {})).rejects.toThrow('HTTP 403');
    // A port that was just listened on and closed: nothing accepts there.
    const closing = http.createServer();
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const closed = (closing.address() as AddressInfo).port;
    await new Promise((resolve) => closing.close(resolve));
    const nobody = internalClient('business', `http://127.0.0.1:${closed}`, { caller: 'payment', identitySecret: secret, timeoutMs: 300 });
    await expect(nobody('/internal/x', {})).rejects.toThrow(/business did not answer \/internal\/x/);
  });

  it('the route refuses no identity (401) and the gateway or a user (403)', async () => {
    const status = async (headers: Record<string, string>) => (await fetch(`${target.url}/internal/x`, { headers })).status;
    expect(await status({})).toBe(401);
    expect(await status({ [IDENTITY_HEADER]: await signIdentity({ kind: 'service', service: 'gateway' }, secret, 'gateway') })).toBe(403);
    expect(await status({ [IDENTITY_HEADER]: await signIdentity({ kind: 'user', userId: 'usr_1', sessionId: 'ses_1' }, secret, 'gateway') })).toBe(403);
  });
});
