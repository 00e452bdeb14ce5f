/**
 * User.timeline and TimelineEntry over HTTP: the in-process subgraph (build.ts)
 * on a real MariaDB, filled by the consumer from an InMemoryBus, asked with
 * a signed identity header as the gateway sends it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InMemoryBus, type DomainEvent, type RunningConsumer } from '@harbour/events';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { newId, type RunningServer } from '@harbour/server';
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { buildTimelineSubgraph } from '../build';
import { startTimelineConsumer, TIMELINE_CONSUMER_GROUP } from '../entries/consumer';
import {
  friendshipEstablishedEvent,
  newUserId,
  paymentCompletedEvent,
  paymentRefundedEvent,
  transferCompletedEvent,
  walletToppedUpEvent,
} from './support/events';
import { createTestStore, eventually, type TestStore } from './support/resources';

const logger = createLogger('timeline-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const secret = new TextEncoder().encode(randomBytes(48).toString('base64url'));

/** MyTimeline's selection on `me`, verbatim from the client contract, asked of the User entity as the gateway's plan does. */
const MY_TIMELINE = (() => {
  const contract = parse(readFileSync(path.resolve(__dirname, '../../../../tests/contract/operations.graphql'), 'utf8'));
  const operation = contract.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'MyTimeline');
  const me = operation!.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'me')!;
  return `query MyTimeline($representations: [_Any!]!, $first: Int!, $after: String) {
    _entities(representations: $representations) { ... on User ${print(me.selectionSet!)} }
  }`;
})();

let db: TestStore;
let bus: InMemoryBus;
let consumer: RunningConsumer;
let server: RunningServer;
let url: string;

beforeAll(async () => {
  db = await createTestStore();
  bus = new InMemoryBus({ logger });
  consumer = startTimelineConsumer({ store: db.store, logger, bus });
  server = buildTimelineSubgraph({ store: db.store, identitySecret: secret, logger });
  url = `http://127.0.0.1:${await server.start(0, '127.0.0.1')}/graphql`;
});

afterAll(async () => {
  await server?.stop();
  await consumer?.stop();
  await bus?.close();
  await db?.drop();
});

async function publishAndSettle(...events: DomainEvent[]): Promise<void> {
  await bus.publish(events);
  const last = events.at(-1)!.id;
  await eventually(async () => (await db.store.processedEvent.count({ where: { consumer: TIMELINE_CONSUMER_GROUP, eventId: last } })) === 1, 'the events to be applied');
}

interface Ask {
  as?: string | null;
  language?: string;
}

async function graphql(query: string, variables: Record<string, unknown>, { as, language }: Ask = {}) {
  const identity: Identity = as ? { kind: 'user', userId: as, sessionId: newId('session') } : { kind: 'anonymous' };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: await signIdentity(identity, secret, 'gateway'),
      ...(language ? { 'accept-language': language } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

/** `owner`'s timeline as `as` sees it (the caller themself unless told). */
const timelineOf = (owner: string, variables: { first: number; after?: string | null }, ask: Ask = {}) =>
  graphql(MY_TIMELINE, { representations: [{ __typename: 'User', id: owner }], ...variables }, { as: owner, ...ask });

const codes = (response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => (response.body.errors ?? []).map((e) => e.extensions?.code);

async function page(owner: string, first: number, after?: string | null, ask: Ask = {}) {
  const response = await timelineOf(owner, { first, after }, ask);
  expect(response.body.errors).toBeUndefined();
  return response.body.data._entities[0].timeline;
}

describe('User.timeline', () => {
  it('pages newest first by (time, id): no duplicates or gaps, stable under equal timestamps and new arrivals', async () => {
    const user = newUserId();
    // 23 entries over 5 instants, most of them shared by several entries.
    const events = Array.from({ length: 23 }, (_, n) => {
      const at = `2026-11-21T0${n % 5}:00:00.000Z`;
      return n % 2 ? walletToppedUpEvent({ user, at, amountMinor: String(100 + n) }) : transferCompletedEvent({ sender: user, recipient: newUserId(), at });
    });
    await publishAndSettle(...events);
    const expected = (await db.store.timelineEntry.findMany({ where: { userId: user }, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] })).map((row) => row.id);
    expect(expected).toHaveLength(23);

    const seen: string[] = [];
    const times: string[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const current = await page(user, 4, after);
      expect(current.edges.length).toBe(current.pageInfo.hasNextPage ? 4 : 3);
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1).cursor);
      seen.push(...current.edges.map((edge: any) => edge.node.id));
      times.push(...current.edges.map((edge: any) => edge.node.occurredAt));
      if (pages === 1) {
        // Something newer arrives between pages: the pages after the cursor do not shift.
        await publishAndSettle(walletToppedUpEvent({ user, at: '2026-11-21T09:00:00.000Z' }));
      }
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(23);
    expect([...times].sort().reverse()).toEqual(times);

    // A page that ends exactly at the last entry says there is no next one.
    const all = await page(user, 24);
    expect(all.edges).toHaveLength(24);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const exact = await page(user, 4, (await page(user, 20)).pageInfo.endCursor);
    expect(exact.edges).toHaveLength(4);
    expect(exact.pageInfo).toEqual({ hasNextPage: false, endCursor: exact.edges[3].cursor });
  });

  it('is empty, not an error, for a user with nothing on it yet', async () => {
    expect(await page(newUserId(), 20)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("renders every kind in the caller's language", async () => {
    const me = newUserId();
    const other = newUserId();
    const at = (minute: number) => `2026-11-22T0${minute}:00:00.000Z`;
    await publishAndSettle(
      walletToppedUpEvent({ user: me, at: at(1), amountMinor: '123456' }),
      paymentCompletedEvent({ payer: me, merchant: other, at: at(2) }),
      paymentCompletedEvent({ payer: other, merchant: me, at: at(3), payerName: 'Wong Tai Sin', businessName: '好味茶餐廳', amountMinor: '4200' }),
      paymentRefundedEvent({ payer: me, refundedBy: other, at: at(4) }),
      paymentRefundedEvent({ payer: other, refundedBy: me, at: at(5), amountMinor: '100' }),
      transferCompletedEvent({ sender: me, recipient: other, at: at(6) }),
      transferCompletedEvent({ sender: other, recipient: me, at: at(7), amountMinor: '5' }),
      friendshipEstablishedEvent({ requester: me, accepter: other, at: at(8) }),
    );
    const summaries = async (language?: string) =>
      (await page(me, 20, null, language ? { language } : {})).edges.map((edge: any) => [edge.node.kind, edge.node.occurredAt, edge.node.summary]);

    const english = [
      ['FRIEND_ADDED', at(8), 'You and Ben are now friends'],
      ['TRANSFER_RECEIVED', at(7), 'Chan Siu Ming sent you HK$0.05'],
      ['TRANSFER_SENT', at(6), 'You sent HK$20.00 to 李嘉欣'],
      ['REFUND_SENT', at(5), 'You refunded HK$1.00 for Lucky Noodles'],
      ['REFUND_RECEIVED', at(4), 'Lucky Noodles refunded you HK$8.50'],
      ['PAYMENT_RECEIVED', at(3), 'Wong Tai Sin paid HK$42.00 to 好味茶餐廳'],
      ['PAYMENT_SENT', at(2), 'You paid HK$88.50 to Lucky Noodles'],
      ['WALLET_TOPPED_UP', at(1), 'You topped up your wallet with HK$1,234.56'],
    ];
    expect(await summaries('en')).toEqual(english);
    expect(await summaries()).toEqual(english);
    expect(await summaries('zh-HK,zh;q=0.9,en;q=0.8')).toEqual([
      ['FRIEND_ADDED', at(8), '你和 Ben 已成為朋友'],
      ['TRANSFER_RECEIVED', at(7), 'Chan Siu Ming 向你轉賬 HK$0.05'],
      ['TRANSFER_SENT', at(6), '你向 李嘉欣 轉賬 HK$20.00'],
      ['REFUND_SENT', at(5), '你代 Lucky Noodles 退款 HK$1.00'],
      ['REFUND_RECEIVED', at(4), 'Lucky Noodles 向你退款 HK$8.50'],
      ['PAYMENT_RECEIVED', at(3), 'Wong Tai Sin 向 好味茶餐廳 付款 HK$42.00'],
      ['PAYMENT_SENT', at(2), '你向 Lucky Noodles 付款 HK$88.50'],
      ['WALLET_TOPPED_UP', at(1), '你為錢包增值 HK$1,234.56'],
    ]);
  });

  it("is the caller's own only: FORBIDDEN for another user, UNAUTHENTICATED anonymously", async () => {
    const owner = newUserId();
    await publishAndSettle(walletToppedUpEvent({ user: owner, at: '2026-11-22T10:00:00.000Z' }));

    const nosy = await timelineOf(owner, { first: 20 }, { as: newUserId() });
    expect(nosy.body.data).toEqual({ _entities: [{ timeline: null }] });
    expect(codes(nosy)).toEqual(['FORBIDDEN']);
    // Arguments are not looked at before the caller is: a bad one does not reveal anything either.
    expect(codes(await timelineOf(owner, { first: 0, after: 'nonsense' }, { as: newUserId() }))).toEqual(['FORBIDDEN']);

    const anonymous = await timelineOf(owner, { first: 20 }, { as: null });
    expect(anonymous.body.data).toEqual({ _entities: [{ timeline: null }] });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers BAD_USER_INPUT for first outside 1–100 and a malformed cursor', async () => {
    const user = newUserId();
    await publishAndSettle(walletToppedUpEvent({ user, at: '2026-11-22T11:00:00.000Z' }), walletToppedUpEvent({ user, at: '2026-11-22T11:00:01.000Z' }));
    for (const first of [0, -1, 101, 1000]) {
      const response = await timelineOf(user, { first });
      expect({ first, codes: codes(response), timeline: response.body.data?._entities?.[0]?.timeline }).toEqual({ first, codes: ['BAD_USER_INPUT'], timeline: null });
    }
    expect((await page(user, 1)).edges).toHaveLength(1);
    expect((await page(user, 100)).edges).toHaveLength(2);

    const good = (await page(user, 1)).pageInfo.endCursor as string;
    const decoded = Buffer.from(good, 'base64url').toString('utf8');
    const malformed = [
      '',
      'not a cursor!',
      'Zm9v',
      good.slice(0, -3),
      `${good}A`,
      Buffer.from(decoded.replace('|', '#')).toString('base64url'),
      Buffer.from(decoded.replace(/\|.*$/, '|pay_01JD0000000000000000000000')).toString('base64url'),
      Buffer.from(decoded.replace(/^\d{4}-\d{2}-\d{2}/, '2026-02-31')).toString('base64url'),
      Buffer.from(`${decoded}|extra`).toString('base64url'),
      'A'.repeat(5000),
    ];
    for (const after of malformed) {
      const response = await timelineOf(user, { first: 10, after });
      expect({ after, codes: codes(response) }).toEqual({ after, codes: ['BAD_USER_INPUT'] });
    }
    expect((await page(user, 10, good)).edges).toHaveLength(1);
  });

  it('leaves out entries of kinds this build does not know, without an error', async () => {
    const user = newUserId();
    await publishAndSettle(walletToppedUpEvent({ user, at: '2026-11-22T12:00:00.000Z' }));
    const future = newId('timelineEntry');
    await db.store.timelineEntry.create({
      data: { id: future, userId: user, kind: 'CASHBACK_RECEIVED', params: { amountMinor: '100', currency: 'HKD' }, sourceEventId: 'evt_future', occurredAt: new Date('2026-11-22T13:00:00.000Z') },
    });
    const current = await page(user, 20);
    expect(current.edges.map((edge: any) => edge.node.kind)).toEqual(['WALLET_TOPPED_UP']);
  });
});

describe('TimelineEntry entity', () => {
  const ENTRY = `query Entry($representations: [_Any!]!) { _entities(representations: $representations) { ... on TimelineEntry { id kind occurredAt summary } } }`;

  it("resolves only the caller's own entries", async () => {
    const owner = newUserId();
    await publishAndSettle(walletToppedUpEvent({ user: owner, at: '2026-11-22T14:00:00.000Z', amountMinor: '5000' }));
    const { id } = await db.store.timelineEntry.findFirstOrThrow({ where: { userId: owner } });
    const representations = [{ __typename: 'TimelineEntry', id }, { __typename: 'TimelineEntry', id: 'tle_nonsense' }];

    const mine = await graphql(ENTRY, { representations }, { as: owner, language: 'zh-HK' });
    expect(mine.body).toEqual({
      data: { _entities: [{ id, kind: 'WALLET_TOPPED_UP', occurredAt: '2026-11-22T14:00:00.000Z', summary: '你為錢包增值 HK$50.00' }, null] },
    });
    const theirs = await graphql(ENTRY, { representations }, { as: newUserId() });
    expect(theirs.body).toEqual({ data: { _entities: [null, null] } });
  });
});
