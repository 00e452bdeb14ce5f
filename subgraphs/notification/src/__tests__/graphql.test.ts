/**
 * The subgraph over HTTP, as the gateway calls it (signed identity header,
 * `_entities` for User fields): the caller's notifications as a connection,
 * rendered in their language, private to them, and marked read.
 */
import { newId } from '@harbour/server';
import {
  errorCodes,
  friendshipEvent,
  paymentEvent,
  payoutAccountEvent,
  payoutEvent,
  refundEvent,
  startHarness,
  statementEvent,
  transferEvent,
  userId,
  walletTopUp,
  type GraphQLAnswer,
  type Harness,
} from './support/harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const NOTIFICATIONS = `
  query Notifications($representations: [_Any!]!, $first: Int, $after: String) {
    _entities(representations: $representations) {
      ... on User {
        notifications(first: $first, after: $after) {
          unreadCount
          edges { cursor node { id kind title body read createdAt } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

const MARK_READ = `mutation MarkNotificationsRead($ids: [ID!]!) { markNotificationsRead(ids: $ids) { unreadCount } }`;

interface Node {
  id: string;
  kind: string;
  title: string;
  body: string;
  read: boolean;
  createdAt: string;
}

interface Connection {
  unreadCount: number;
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

function notifications(caller: string | null, owner: string, variables: { first?: number; after?: string } = {}, headers: Record<string, string> = {}) {
  return harness.graphql(caller, NOTIFICATIONS, { representations: [{ __typename: 'User', id: owner }], ...variables }, headers);
}

function connectionOf(answer: GraphQLAnswer): Connection {
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data!._entities[0].notifications as Connection;
}

/** The caller's whole list, newest first, as the store orders it. */
async function storedOrder(owner: string): Promise<string[]> {
  const rows = await harness.store.notification.findMany({ where: { userId: owner }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
  return rows.map((row) => row.id);
}

describe('User.notifications', () => {
  const owner = userId();
  const merchant = userId();

  beforeAll(async () => {
    // Eleven notifications for `owner`, over several milliseconds.
    for (let i = 1; i <= 11; i++) {
      await harness.feed(i % 2 ? walletTopUp(owner, `${i}00`) : paymentEvent({ payer: owner, merchant, amountMinor: `${i}50` }));
    }
  });

  test('pages newest first by (createdAt, id) with opaque cursors, and counts all unread', async () => {
    const seen: Node[] = [];
    let after: string | undefined;
    const pages: Connection[] = [];
    do {
      const page = connectionOf(await notifications(owner, owner, { first: 4, ...(after ? { after } : {}) }));
      pages.push(page);
      seen.push(...page.edges.map((edge) => edge.node));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
    } while (after);

    expect(pages.map((page) => page.edges.length)).toEqual([4, 4, 3]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((page) => page.unreadCount)).toEqual([11, 11, 11]);
    expect(seen.map((node) => node.id)).toEqual(await storedOrder(owner));
    const times = seen.map((node) => node.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((time) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time))).toBe(true);
    expect(seen.every((node) => node.read === false && /^ntf_[0-9A-HJKMNP-TV-Z]{26}$/.test(node.id))).toBe(true);
    // Cursors say nothing readable.
    expect(pages[0]!.edges[0]!.cursor).not.toContain(seen[0]!.id);
  });

  test('the default page is 20; first must be 1 to 100, and a cursor must be one of ours', async () => {
    const all = connectionOf(await harness.graphql(owner, `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications { edges { node { id } } } } } }`, { r: [{ __typename: 'User', id: owner }] }));
    expect(all.edges).toHaveLength(11);
    expect(connectionOf(await notifications(owner, owner, { first: 100 })).edges).toHaveLength(11);

    for (const variables of [{ first: 0 }, { first: 101 }, { first: -1 }, { first: 5, after: 'not-a-cursor' }, { first: 5, after: Buffer.from('2026-01-01T00:00:00.000Z|usr_x').toString('base64url') }]) {
      const answer = await notifications(owner, owner, variables);
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.data!._entities[0].notifications).toBeNull();
    }
  });

  test('is private: another user gets FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const stranger = userId();
    const denied = await notifications(stranger, owner);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    expect(denied.body.data).toEqual({ _entities: [{ notifications: null }] });
    expect(errorCodes(await notifications(null, owner))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await notifications({ kind: 'service', service: 'payment' } as never, owner))).toEqual(['UNAUTHENTICATED']);

    // A user with none has an empty connection.
    expect(connectionOf(await notifications(stranger, stranger))).toEqual({ unreadCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  test('Notification references resolve for their owner only', async () => {
    const [id] = await storedOrder(owner);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id kind read } } }`;
    const representations = [{ __typename: 'Notification', id }, { __typename: 'Notification', id: newId('notification') }];
    expect((await harness.graphql(owner, query, { r: representations })).body).toEqual({ data: { _entities: [{ id, kind: expect.any(String), read: false }, null] } });
    expect((await harness.graphql(merchant, query, { r: representations })).body).toEqual({ data: { _entities: [null, null] } });
  });
});

describe('rendering in the caller\'s language', () => {
  const [payer, merchant, owner, sender, recipient, friend] = Array.from({ length: 6 }, userId);

  beforeAll(async () => {
    await harness.feed(
      paymentEvent({ payer, merchant, amountMinor: '8850', payerDisplayName: 'Chan Siu Ming', businessName: 'Lucky Noodles' }),
      refundEvent({ payer, refundedBy: owner, amountMinor: '2000' }),
      transferEvent({ sender, recipient, amountMinor: '123450', message: 'Rent' }),
      walletTopUp(recipient, '50000', '173450'),
      friendshipEvent(sender, friend),
    );
  });

  const latest = async (user: string, headers: Record<string, string> = {}) => connectionOf(await notifications(user, user, { first: 10 }, headers)).edges.map((edge) => edge.node);

  test('English by default; Hong Kong Chinese when Accept-Language prefers zh', async () => {
    const [received] = await latest(merchant);
    expect(received).toMatchObject({ kind: 'PAYMENT_RECEIVED', title: 'Payment received', body: 'Chan Siu Ming paid you HK$88.50 at Lucky Noodles.' });
    const [receivedZh] = await latest(merchant, { 'accept-language': 'zh-HK,zh;q=0.9,en;q=0.8' });
    expect(receivedZh).toMatchObject({ id: received!.id, kind: 'PAYMENT_RECEIVED', title: '已收款', body: 'Chan Siu Ming 已在 Lucky Noodles 向你付款 HK$88.50。' });
    const [receivedEn] = await latest(merchant, { 'accept-language': 'en-GB,zh-HK;q=0.5' });
    expect(receivedEn!.title).toBe('Payment received');
  });

  test('every kind has its own title and body in both languages', async () => {
    const texts = async (user: string, language: string) =>
      Object.fromEntries((await latest(user, { 'accept-language': language })).map((node) => [node.kind, `${node.title} | ${node.body}`]));
    expect(await texts(payer, 'en')).toEqual({
      PAYMENT_SENT: 'Payment sent | You paid HK$88.50 to Lucky Noodles.',
      REFUND_RECEIVED: 'Refund received | Lucky Noodles refunded you HK$20.00.',
    });
    expect(await texts(owner, 'zh-HK')).toEqual({ REFUND_SENT: '已退款 | 你已代 Lucky Noodles 向顧客退款 HK$20.00。' });
    expect(await texts(sender, 'en')).toEqual({
      TRANSFER_SENT: 'Money sent | You sent HK$1,234.50 to Wong Ka Yan.',
      FRIEND_ADDED: 'New friend | You and Wong Ka Yan are now friends.',
    });
    expect(await texts(recipient, 'zh-HK')).toEqual({
      TRANSFER_RECEIVED: '已收到轉賬 | Chan Siu Ming 已向你轉賬 HK$1,234.50。留言：Rent',
      WALLET_TOPPED_UP: '已增值 | 你的錢包已增值 HK$500.00，結餘為 HK$1,734.50。',
    });
    expect(await texts(friend, 'zh-HK')).toEqual({ FRIEND_ADDED: '新朋友 | 你和 Chan Siu Ming 已成為朋友。' });
  });

  test('the payout kinds, told to each OWNER, in both languages', async () => {
    const [ownerA, ownerB] = [userId(), userId()];
    await harness.feed(
      payoutAccountEvent({ owners: [ownerA, ownerB], holdUntil: new Date('2026-11-23T01:02:03.456Z') }),
      payoutEvent('paid', { owners: [ownerA, ownerB], amountMinor: '123450' }),
      payoutEvent('failed', { owners: [ownerA, ownerB], amountMinor: '5000', failureCode: 'ACCOUNT_CLOSED' }),
    );
    const texts = async (user: string, language: string) =>
      Object.fromEntries((await latest(user, { 'accept-language': language })).map((node) => [node.kind, `${node.title} | ${node.body}`]));
    for (const user of [ownerA, ownerB]) {
      expect(await texts(user, 'en')).toEqual({
        PAYOUT_ACCOUNT_CHANGED:
          'Payout account changed | Payouts of Lucky Noodles now go to HSBC, account ending 1234. None goes out before 23 Nov 2026, 09:02 (Hong Kong time). If you did not expect this change, check the payout account now.',
        PAYOUT_PAID: 'Payout paid | HK$1,234.50 from Lucky Noodles was paid into HSBC, account ending 1234.',
        PAYOUT_FAILED: 'Payout failed | The payout of HK$50.00 from Lucky Noodles to HSBC, account ending 1234, failed: the account is closed. The money is back in the available balance.',
      });
      expect(await texts(user, 'zh-HK')).toEqual({
        PAYOUT_ACCOUNT_CHANGED: '收款戶口已更改 | Lucky Noodles 的款項現會存入 HSBC 尾號 1234 的戶口，2026年11月23日 09:02（香港時間）前不會發放。如非預期的更改，請立即查看收款戶口。',
        PAYOUT_PAID: '款項已存入 | Lucky Noodles 的 HK$1,234.50 已存入 HSBC 尾號 1234 的戶口。',
        PAYOUT_FAILED: '款項存入失敗 | Lucky Noodles 存入 HSBC 尾號 1234 戶口的 HK$50.00 未能完成：戶口已關閉。款項已退回可用結餘。',
      });
    }
  });

  test('a ready statement, told to the member who asked, in both languages', async () => {
    const asker = userId();
    await harness.feed(statementEvent({ requestedBy: asker, rowCount: 1234 }));
    const [en] = await latest(asker);
    expect(en).toMatchObject({
      kind: 'STATEMENT_READY',
      title: 'Statement ready',
      body: 'Your CSV statement of Lucky Noodles for 1 Nov 2026, 00:00 – 1 Dec 2026, 00:00 (Hong Kong time) is ready: 1,234 rows.',
    });
    const [zh] = await latest(asker, { 'accept-language': 'zh-HK' });
    expect(zh).toMatchObject({
      id: en!.id,
      kind: 'STATEMENT_READY',
      title: '結單已備妥',
      body: '你的 Lucky Noodles CSV 結單（2026年11月1日 00:00 至 2026年12月1日 00:00，香港時間）已備妥，共 1,234 行。',
    });
  });

  test('parameters the renderer cannot read give a generic text; a kind this schema lacks is not listed', async () => {
    const user = userId();
    const at = new Date();
    await harness.store.notification.createMany({
      data: [
        { id: newId('notification'), userId: user, kind: 'PAYMENT_SENT', params: { amountMinor: 'lots' }, sourceEventId: 'evt_broken', createdAt: at },
        { id: newId('notification'), userId: user, kind: 'LOYALTY_POINTS_EARNED', params: { points: 5 }, sourceEventId: 'evt_newer', createdAt: at },
      ],
    });
    const connection = connectionOf(await notifications(user, user, {}, { 'accept-language': 'zh-HK' }));
    expect(connection.unreadCount).toBe(1);
    expect(connection.edges.map((edge) => [edge.node.kind, edge.node.title, edge.node.body])).toEqual([['PAYMENT_SENT', '通知', '你有一則新通知。']]);
  });
});

describe('markNotificationsRead', () => {
  const [me, other] = [userId(), userId()];
  let mine: string[] = [];
  let theirs: string[] = [];

  beforeAll(async () => {
    await harness.feed(walletTopUp(me, '100'), walletTopUp(me, '200'), walletTopUp(me, '300'), walletTopUp(me, '400'), walletTopUp(other, '100'));
    mine = await storedOrder(me);
    theirs = await storedOrder(other);
    expect([mine.length, theirs.length]).toEqual([4, 1]);
  });

  const readFlags = async (user: string) =>
    Object.fromEntries((await harness.store.notification.findMany({ where: { userId: user } })).map((row) => [row.id, row.readAt !== null]));

  test('marks the caller\'s own and answers how many of theirs are unread', async () => {
    const answer = await harness.graphql(me, MARK_READ, { ids: [mine[0], mine[1], mine[1]] });
    expect(answer.body).toEqual({ data: { markNotificationsRead: { unreadCount: 2 } } });
    expect(await readFlags(me)).toEqual({ [mine[0]!]: true, [mine[1]!]: true, [mine[2]!]: false, [mine[3]!]: false });

    // Marking again changes nothing (and keeps the first read time).
    const before = await harness.store.notification.findUniqueOrThrow({ where: { id: mine[0]! } });
    expect((await harness.graphql(me, MARK_READ, { ids: [mine[0]] })).body).toEqual({ data: { markNotificationsRead: { unreadCount: 2 } } });
    expect((await harness.store.notification.findUniqueOrThrow({ where: { id: mine[0]! } })).readAt).toEqual(before.readAt);

    // Nothing to mark: just the count.
    expect((await harness.graphql(me, MARK_READ, { ids: [] })).body).toEqual({ data: { markNotificationsRead: { unreadCount: 2 } } });
    // read shows on the connection too.
    const nodes = connectionOf(await notifications(me, me)).edges.map((edge) => edge.node);
    expect(Object.fromEntries(nodes.map((node) => [node.id, node.read]))).toEqual(await readFlags(me));
  });

  test('any id that is someone else\'s or does not exist marks nothing: NOT_FOUND', async () => {
    for (const stray of [theirs[0], newId('notification'), 'ntf_nonsense', '']) {
      const answer = await harness.graphql(me, MARK_READ, { ids: [mine[2], stray] });
      expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
      expect(answer.body.data).toEqual({ markNotificationsRead: null });
    }
    expect((await readFlags(me))[mine[2]!]).toBe(false);
    expect(await readFlags(other)).toEqual({ [theirs[0]!]: false });
    // The other user's count is theirs alone.
    expect((await harness.graphql(other, MARK_READ, { ids: [] })).body).toEqual({ data: { markNotificationsRead: { unreadCount: 1 } } });
  });

  test('more than 100 ids is BAD_USER_INPUT; exactly 100 is fine; anonymous is UNAUTHENTICATED', async () => {
    const tooMany = await harness.graphql(me, MARK_READ, { ids: Array.from({ length: 101 }, () => mine[3]) });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect((await readFlags(me))[mine[3]!]).toBe(false);
    expect((await harness.graphql(me, MARK_READ, { ids: Array.from({ length: 100 }, () => mine[3]) })).body).toEqual({ data: { markNotificationsRead: { unreadCount: 1 } } });
    expect(errorCodes(await harness.graphql(null, MARK_READ, { ids: [mine[2]] }))).toEqual(['UNAUTHENTICATED']);
  });
});
