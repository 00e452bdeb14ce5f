/**
 * Through the whole stack: logging out, or presenting a spent refresh token,
 * closes the session's open subscription socket with 4403 at once. The
 * gateway's periodic revocation check is set to a minute, so a close within
 * seconds comes from the revocation the user subgraph publishes.
 */
import { contractOperation as op } from './support/contract';
import { newPhone, ok, PASSWORD } from './support/actors';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { closeCodeWithin, Collected, liveClient, type LiveClient } from './support/ws-client';

let stack: RunningStack;
const clients: LiveClient[] = [];
/** Far beyond CLOSE_WAIT_MS: the periodic check cannot be what closes a socket in time. */
const PERIODIC_CHECK_SECONDS = '60';
const CLOSE_WAIT_MS = 3_000;

beforeAll(async () => {
  stack = await startStack({ GATEWAY_WS_REVOCATION_CHECK_SECONDS: PERIODIC_CHECK_SECONDS });
}, stackStartTimeout(120_000));

afterAll(async () => {
  for (const { client } of clients) await client.dispose();
  await stack?.stop();
});

async function signUp(): Promise<{ accessToken: string; refreshToken: string }> {
  return ok(await stack.graphql(op('SignUp'), { input: { phone: newPhone(), displayName: 'Soon Revoked', password: PASSWORD } })).signUp;
}

/** A socket subscribed to the caller's notifications, once the gateway has accepted it. */
async function subscribed(token: string): Promise<LiveClient> {
  const live = liveClient(stack.gatewayUrl, token);
  clients.push(live);
  new Collected(live.client, op('NotificationAdded'));
  await live.connected;
  return live;
}

it('LogOut closes the session’s open socket with 4403', async () => {
  const { accessToken } = await signUp();
  const live = await subscribed(accessToken);
  expect(ok(await stack.graphql(op('LogOut'), {}, { token: accessToken })).logOut).toBe(true);
  expect(await closeCodeWithin(live, CLOSE_WAIT_MS)).toBe(4403);
});

it('presenting a spent refresh token closes the session’s open socket with 4403', async () => {
  const { refreshToken } = await signUp();
  const rotated = ok(await stack.graphql(op('RefreshSession'), { refreshToken })).refreshSession;
  const live = await subscribed(rotated.accessToken);
  // The spent token again: taken for a copy, so the whole session is revoked.
  const reused = await stack.graphql(op('RefreshSession'), { refreshToken });
  expect(reused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(await closeCodeWithin(live, CLOSE_WAIT_MS)).toBe(4403);
});
