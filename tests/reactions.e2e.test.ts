/**
 * What reacts to money moving, through the gateway of a whole stack: both
 * sides are notified and see it in their timelines (rendered in their
 * language), notifications can be marked read, friendships form when both
 * add each other, and friends' payments recommend businesses.
 */
import { randomUUID } from 'node:crypto';
import { contractOperation as op } from './support/contract';
import { errorCodes } from './support/graphql-client';
import { ok, signUp, type Actor } from './support/actors';
import { eventually } from './support/eventually';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

let stack: RunningStack;
const key = () => randomUUID();

beforeAll(async () => {
  stack = await startStack();
}, stackStartTimeout(120_000));

afterAll(async () => {
  await stack?.stop();
});

const kindsOf = (connection: { edges: Array<{ node: { kind: string } }> }) => connection.edges.map((edge) => edge.node.kind);
const notifications = async (actor: Actor) => ok(await actor.run('MyNotifications', { first: 20 })).me.notifications;
const timeline = async (actor: Actor, first = 20, after?: string) => ok(await actor.run('MyTimeline', { first, after })).me.timeline;

async function payAt(customer: Actor, merchant: Actor, businessId: string, amount: string) {
  const request = ok(await merchant.run('CreatePaymentRequest', { input: { businessId, amount } })).createPaymentRequest;
  return ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
}

it('notifies both sides, fills both timelines, and marks read', async () => {
  const merchant = await signUp(stack, 'Mrs Wong');
  const customer = await signUp(stack, 'Chan Siu Ming');
  const friend = await signUp(stack, 'Lee Ka Yan');
  const businessId = ok(await merchant.run('RegisterBusiness', { input: { name: 'Lucky Noodles', city: 'Hong Kong' } })).registerBusiness.id;
  ok(await customer.run('TopUpWallet', { input: { amount: '200.00', idempotencyKey: key() } }));
  const payment = await payAt(customer, merchant, businessId, '88.50');
  ok(await merchant.run('RefundPayment', { input: { paymentId: payment.id, amount: '8.50', idempotencyKey: key() } }));
  ok(await customer.run('SendMoney', { input: { toUserId: friend.id, amount: '20.00', idempotencyKey: key() } }));

  const mine = await eventually(() => notifications(customer), (n) =>
    expect(kindsOf(n)).toEqual(['TRANSFER_SENT', 'REFUND_RECEIVED', 'PAYMENT_SENT', 'WALLET_TOPPED_UP']),
  );
  expect(mine.unreadCount).toBe(4);
  const paymentNotice = mine.edges[2].node;
  expect(paymentNotice).toMatchObject({ id: expect.stringMatching(/^ntf_/), read: false, createdAt: expect.any(String) });
  expect(`${paymentNotice.title} ${paymentNotice.body}`).toContain('88.50');
  expect(`${paymentNotice.title} ${paymentNotice.body}`).toContain('Lucky Noodles');
  await eventually(() => notifications(merchant), (n) => expect(kindsOf(n)).toEqual(['REFUND_SENT', 'PAYMENT_RECEIVED']));
  const merchantNotices = await notifications(merchant);
  expect(merchantNotices.edges[1].node.body).toContain('Chan Siu Ming');
  await eventually(() => notifications(friend), (n) => expect(kindsOf(n)).toEqual(['TRANSFER_RECEIVED']));

  // Rendered in the reader's language.
  const chinese = await stack.graphql(op('MyNotifications'), { first: 20 }, { token: merchant.token, headers: { 'accept-language': 'zh-HK' } });
  const english = await stack.graphql(op('MyNotifications'), { first: 20 }, { token: merchant.token, headers: { 'accept-language': 'en' } });
  expect(ok(chinese).me.notifications.edges[1].node.title).not.toBe(ok(english).me.notifications.edges[1].node.title);
  expect(ok(chinese).me.notifications.edges[1].node.title).toMatch(/\p{Script=Han}/u);

  // Timelines: both sides, newest first, paginated.
  const page1 = await eventually(() => timeline(customer, 2), (t) => expect(kindsOf(t)).toEqual(['TRANSFER_SENT', 'REFUND_RECEIVED']));
  expect(page1.pageInfo.hasNextPage).toBe(true);
  const page2 = await timeline(customer, 2, page1.pageInfo.endCursor);
  expect(kindsOf(page2)).toEqual(['PAYMENT_SENT', 'WALLET_TOPPED_UP']);
  expect(page2.pageInfo.hasNextPage).toBe(false);
  expect(page2.edges[0].node.summary).toContain('88.50');
  await eventually(() => timeline(merchant), (t) => expect(kindsOf(t)).toEqual(['REFUND_SENT', 'PAYMENT_RECEIVED']));

  // Mark two read: the count drops; someone else's id marks nothing.
  const ids = mine.edges.slice(0, 2).map((edge: any) => edge.node.id);
  expect(ok(await customer.run('MarkNotificationsRead', { ids })).markNotificationsRead.unreadCount).toBe(2);
  const others = (await notifications(merchant)).edges.map((edge: any) => edge.node.id);
  const foreign = await customer.run('MarkNotificationsRead', { ids: [others[0]] });
  expect((await notifications(merchant)).unreadCount).toBe(2);
  expect(foreign.body.data?.markNotificationsRead?.unreadCount ?? null).not.toBe(0);
  expect(errorCodes(await customer.run('MarkNotificationsRead', { ids: Array.from({ length: 101 }, (_, i) => `ntf_${i}`) }))).toEqual(['BAD_USER_INPUT']);
});

it('friendship forms when both add each other, and two friends paying somewhere recommends it', async () => {
  const me = await signUp(stack, 'Me Myself');
  const amy = await signUp(stack, 'Amy');
  const ben = await signUp(stack, 'Ben');
  const merchant = await signUp(stack, 'Shop Owner');
  const favourite = ok(await merchant.run('RegisterBusiness', { input: { name: 'Friends Cafe', city: 'Kowloon' } })).registerBusiness.id;

  // A one-way add is only a request.
  expect(ok(await me.run('AddFriend', { userId: amy.id })).addFriend).toEqual({ id: amy.id, displayName: 'Amy' });
  expect(ok(await me.run('MyFriends')).me.friends.edges).toEqual([]);
  ok(await amy.run('AddFriend', { userId: me.id }));
  ok(await me.run('AddFriend', { userId: ben.id }));
  ok(await ben.run('AddFriend', { userId: me.id }));
  expect(errorCodes(await me.run('AddFriend', { userId: me.id }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await me.run('AddFriend', { userId: 'usr_01JZZZZZZZZZZZZZZZZZZZZZZZ' }))).toEqual(['NOT_FOUND']);

  const friends = ok(await me.run('MyFriends')).me.friends.edges.map((edge: any) => edge.node);
  expect(friends).toEqual([{ id: ben.id, displayName: 'Ben' }, { id: amy.id, displayName: 'Amy' }]);
  await eventually(() => notifications(amy), (n) => expect(kindsOf(n)).toEqual(['FRIEND_ADDED']));

  // One friend paying is not enough; two are.
  for (const friend of [amy, ben]) ok(await friend.run('TopUpWallet', { input: { amount: '50.00', idempotencyKey: key() } }));
  await payAt(amy, merchant, favourite, '5.00');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(ok(await me.run('MyFriends')).me.recommendedBusinesses).toEqual([]);
  await payAt(ben, merchant, favourite, '6.00');
  await eventually(
    async () => ok(await me.run('MyFriends')).me.recommendedBusinesses,
    (recommended) => expect(recommended).toEqual([{ id: favourite, name: 'Friends Cafe' }]),
  );
});
