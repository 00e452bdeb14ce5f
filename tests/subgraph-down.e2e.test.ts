/**
 * Fault tests of the gateway's subgraph fetches, on a whole stack whose
 * gateway reaches the social and payment subgraphs through TCP proxies that
 * the tests cut (connections dropped at once), blackhole (accepted, never
 * answered) and reset (dropped as soon as a request arrives), under a load
 * of contract operations, some needing that subgraph and some not.
 */
import { randomUUID } from 'node:crypto';
import mariadb from 'mariadb';
import { freePorts } from '@harbour/testing';
import { ok, signUp, type Actor } from './support/actors';
import type { GraphQLResponse } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { TcpProxy } from './support/tcp-proxy';

/** Social's own timeout (the blackhole test waits it out); the others keep a roomy one, as sign-up's password hashing is slow on a busy machine. */
const SOCIAL_TIMEOUT_MS = 1_500;
const SUBGRAPH_TIMEOUT_MS = 10_000;
/** A guard against hangs: a request still unanswered this long after the subgraph timeout failed the test. */
const HANG_GUARD_MS = SUBGRAPH_TIMEOUT_MS + 5_000;

let stack: RunningStack;
let social: TcpProxy;
let payment: TcpProxy;
let customer: Actor;
let friend: Actor;

beforeAll(async () => {
  const [socialPort, paymentPort] = await freePorts(2);
  social = await TcpProxy.listen({ host: '127.0.0.1', port: socialPort! });
  payment = await TcpProxy.listen({ host: '127.0.0.1', port: paymentPort! });
  social.open();
  payment.open();
  stack = await startStack({
    SOCIAL_PORT: String(socialPort),
    PAYMENT_PORT: String(paymentPort),
    SOCIAL_SUBGRAPH_URL: `http://127.0.0.1:${social.port}/graphql`,
    PAYMENT_SUBGRAPH_URL: `http://127.0.0.1:${payment.port}/graphql`,
    GATEWAY_SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
    GATEWAY_SUBGRAPH_TIMEOUT_MS_SOCIAL: String(SOCIAL_TIMEOUT_MS),
    GATEWAY_CIRCUIT_VOLUME: '5',
    GATEWAY_CIRCUIT_RESET_MS: '500',
    GATEWAY_HEALTH_TIMEOUT_MS: '500',
    GATEWAY_RATE_LIMIT_PER_USER: '100000',
    GATEWAY_RATE_LIMIT_PER_IP: '100000',
  });
  customer = await signUp(stack, 'Fault Customer');
  friend = await signUp(stack, 'Fault Friend');
  ok(await customer.run('AddFriend', { userId: friend.id }));
  ok(await friend.run('AddFriend', { userId: customer.id }));
}, stackStartTimeout(150_000));

afterAll(async () => {
  await stack?.stop();
  await social?.close();
  await payment?.close();
});

/** Runs an operation as `actor`, failing the test if the gateway does not answer (a hang). */
async function run(actor: Actor, operation: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${operation} hung past the subgraph timeout`)), HANG_GUARD_MS);
  });
  try {
    return await Promise.race([actor.run(operation, variables), guard]);
  } finally {
    clearTimeout(timer);
  }
}

async function health(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${stack.ports.gateway}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Polls until `check` holds (each check is a real request); a guard ends the wait. */
async function eventually(what: string, check: () => Promise<boolean>, guardMs = 20_000): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `MyFriends` with social out of reach: the user's part answered, social's fields null with SUBGRAPH_UNAVAILABLE naming it. */
function expectSocialMissing(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.body.data?.me).toEqual({ friends: null, recommendedBusinesses: null });
  expect(response.body.errors?.length).toBeGreaterThan(0);
  for (const error of response.body.errors!) {
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'social' });
    expect(error.path?.[0]).toBe('me');
    expect(JSON.stringify(error)).not.toMatch(/127\.0\.0\.1|localhost|ECONN|socket/i);
  }
  expect(response.body.errors!.map((error) => error.path)).toEqual(
    expect.arrayContaining([
      ['me', 'friends'],
      ['me', 'recommendedBusinesses'],
    ]),
  );
}

/**
 * Keeps `workers` loops of contract operations going until stopped: some
 * need social (MyFriends), some do not (MyBusinesses, FindUserByPhone).
 */
function load(workers: number) {
  const results: Array<{ operation: string; response: GraphQLResponse }> = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_unused, worker) => {
    for (let i = worker; running; i++) {
      const [operation, variables] = (
        [
          ['MyFriends', {}],
          ['MyBusinesses', {}],
          ['FindUserByPhone', { phone: friend.phone }],
        ] as const
      )[i % 3]!;
      results.push({ operation, response: await run(customer, operation, variables) });
    }
  });
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

function expectUnaffected(results: Array<{ operation: string; response: GraphQLResponse }>): void {
  const others = results.filter(({ operation }) => operation !== 'MyFriends');
  expect(others.length).toBeGreaterThan(0);
  for (const { response } of others) {
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  }
}

const friendsOk = async () => {
  const response = await run(customer, 'MyFriends');
  return !response.body.errors && response.body.data?.me?.friends?.edges?.[0]?.node.id === friend.id;
};

describe('one subgraph down', () => {
  it('cut under load: others unaffected, social fields SUBGRAPH_UNAVAILABLE, ready stays 200, the circuit opens, and all recovers by itself', async () => {
    expect(await friendsOk()).toBe(true);
    const traffic = load(4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    social.cut();
    const cutAt = traffic.results.length;

    await eventually('the circuit of social opens', async () => (await health('/health/subgraphs')).body.circuits?.social === 'open');
    const subgraphs = await health('/health/subgraphs');
    expect(subgraphs.status).toBe(503);
    expect(subgraphs.body.subgraphs).toEqual({ user: 'up', business: 'up', payment: 'up', timeline: 'up', social: 'down', notification: 'up' });
    expect((await health('/health/ready')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    social.open();
    await eventually('MyFriends answers in full again', friendsOk);
    await eventually('the circuit of social closes', async () => (await health('/health/subgraphs')).body.circuits?.social === 'closed');
    const all = await traffic.stop();

    expectUnaffected(all);
    const duringCut = all.slice(cutAt).filter(({ operation, response }) => operation === 'MyFriends' && response.body.errors);
    expect(duringCut.length).toBeGreaterThan(0);
    for (const { response } of duringCut) expectSocialMissing(response);
    const restored = await health('/health/subgraphs');
    expect(restored.status).toBe(200);
    expect(Object.values(restored.body.circuits)).toEqual(Array(6).fill('closed'));
    expect((await health('/health/ready')).status).toBe(200);
  }, 90_000);

  it('blackholed (connections accepted, never answered): fetches end at the timeout, others unaffected, then recovery', async () => {
    social.blackhole();
    const traffic = load(3);
    await eventually('the circuit of social opens', async () => (await health('/health/subgraphs')).body.circuits?.social === 'open');
    expect((await health('/health/ready')).status).toBe(200);
    expect((await health('/health/subgraphs')).body.subgraphs.social).toBe('down');
    social.open();
    await eventually('MyFriends answers in full again', friendsOk);
    const all = await traffic.stop();

    expectUnaffected(all);
    const failed = all.filter(({ operation, response }) => operation === 'MyFriends' && response.body.errors);
    expect(failed.length).toBeGreaterThan(0);
    for (const { response } of failed) expectSocialMissing(response);
  }, 90_000);
});

describe('retries', () => {
  const MUTATION = /"query":"mutation /g;
  const QUERY = /"query":"query /g;
  let mutations = 0;
  let queries = 0;

  beforeAll(() =>
    payment.onClientData((chunk) => {
      const text = chunk.toString();
      mutations += text.match(MUTATION)?.length ?? 0;
      queries += text.match(QUERY)?.length ?? 0;
    }),
  );

  it('a query whose connection is reset is retried; a mutation is sent once and never again', async () => {
    payment.resetOnData();
    try {
      queries = 0;
      const me = await run(customer, 'Me');
      expect(me.body.data?.me).toMatchObject({ id: customer.id, displayName: 'Fault Customer', wallet: null });
      expect(me.body.errors?.map((error) => error.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'payment' }]);
      expect(me.body.errors?.[0]?.path).toEqual(['me', 'wallet']);
      expect(queries).toBe(3); // the first attempt and GATEWAY_SUBGRAPH_RETRIES (2)

      mutations = 0;
      const idempotencyKey = randomUUID();
      const topUp = await run(customer, 'TopUpWallet', { input: { amount: '10.00', idempotencyKey } });
      expect(topUp.status).toBe(200);
      expect(topUp.body.data).toEqual({ topUpWallet: null });
      expect(topUp.body.errors?.map((error) => error.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'payment' }]);
      expect(topUp.body.errors?.[0]?.path).toEqual(['topUpWallet']);
      expect(mutations).toBe(1);
    } finally {
      payment.open();
    }
    await eventually('payment answers again', async () => !(await run(customer, 'Me')).body.errors);
    const wallet = ok(await run(customer, 'Me')).me.wallet;
    expect(wallet.balance.amount).toBe('0.00');
  }, 60_000);
});

describe('internal errors', () => {
  it('a subgraph whose table is gone: the client gets INTERNAL_SERVER_ERROR with the request id, the logs have the rest under that id', async () => {
    const connection = await mariadb.createConnection(stack.env.SOCIAL_DATABASE_URL!.replace(/^mysql:/, 'mariadb:'));
    const requestId = `fault-${randomUUID()}`;
    await connection.query('RENAME TABLE friend_links TO friend_links_gone');
    let response: GraphQLResponse;
    try {
      response = await stack.graphql(
        'query MyFriends { me { friends(first: 50) { edges { node { id displayName } } } recommendedBusinesses(first: 5) { id name } } }',
        {},
        { token: customer.token, headers: { 'x-request-id': requestId } },
      );
    } finally {
      await connection.query('RENAME TABLE friend_links_gone TO friend_links');
      await connection.end();
    }
    expect(response.status).toBe(200);
    const errors = response.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.message).toBe(`Internal server error. Request id: ${requestId}`);
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
    }
    expect(response.body.data?.me).not.toBeNull();
    expect(JSON.stringify(response.body)).not.toMatch(/friend_links|prisma|select|127\.0\.0\.1|localhost|\bat \w+ \(|hbt_/i);

    await eventually('the masked error is logged with its request id', async () => {
      const lines = stack.output().split('\n').filter((line) => line.includes(requestId));
      return lines.some((line) => line.startsWith('gateway') && line.includes('masked')) && lines.some((line) => line.startsWith('social') && line.includes('friend_links'));
    }, 5_000);
  }, 30_000);
});
