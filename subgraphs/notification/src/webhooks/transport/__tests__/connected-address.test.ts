/**
 * The second line of the rebinding defence: under 'public' the address the
 * socket actually reached is judged again before anything is sent. Pinning
 * makes this unreachable in normal operation, so resolution is replaced
 * here by one that wrongly approves 127.0.0.1.
 */
import { sendWebhook } from '..';
import { startReceiver } from './receivers';

jest.mock('../resolve-host', () => ({
  ...jest.requireActual('../resolve-host'),
  resolveHost: async () => ({ ok: true, addresses: [{ address: '127.0.0.1', family: 4 }] }),
}));

it('closes a connection that reached a non-public address without sending the request', async () => {
  const target = await startReceiver((_request, response) => response.end('should never be reached'));
  try {
    const result = await sendWebhook({
      url: `http://wrongly-approved.example:${target.port}/in`,
      headers: {},
      body: '{"secret":"payload"}',
      timeoutMs: 1_000,
      policy: 'public',
    });
    expect(result).toMatchObject({
      ok: false,
      status: null,
      error: 'connected to 127.0.0.1, a loopback address; closed before sending',
      connectedAddress: '127.0.0.1',
    });
    expect(target.requests).toHaveLength(0);
  } finally {
    await target.close();
  }
});
