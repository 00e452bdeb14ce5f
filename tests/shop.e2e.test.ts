/**
 * Running a shop beyond staff (contract part 2, merchant.md): who created
 * what (`createdBy`, a CASHIER's own view), the shop's static QR code with
 * `scanQr` and `payBusiness`, `businessPaymentReceived` over graphql-ws
 * (ended with FORBIDDEN for a removed member), and payment links with
 * `maxPayments` exact under 50 racing payers. Every operation verbatim from
 * the contract, through the gateway, on the whole stack; the ledger's
 * invariants are checked after the races.
 */
import { randomUUID } from 'node:crypto';
import { classifyScan, crcHex } from '@harbour/emv-qr';
import { contractOperation as op } from './support/contract';
import { ok, signUp, type Actor } from './support/actors';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { postGraphQL } from './support/graphql-client';
import { ledgerInvariants } from './support/ledger-checks';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { Collected, liveClient, type LiveClient } from './support/ws-client';

jest.setTimeout(120_000);

let stack: RunningStack;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error', PUBLIC_BASE_URL: 'https://pay.example.hk/' });
}, stackStartTimeout(60_000));

afterAll(async () => {
  for (const socket of sockets) await socket.client.dispose();
  await stack?.stop();
});

const codes = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) => (response.body.errors ?? []).map((error) => error.extensions?.code);
const key = () => randomUUID();

let shops = 0;
/** A business with an OWNER, a MANAGER and a CASHIER, and a customer with HK$1,000.00 in their wallet. */
async function shop(label = 'Shop') {
  const n = shops++;
  const [owner, manager, cashier, customer] = await Promise.all(['Owner', 'Manager', 'Cashier', 'Customer'].map((name) => signUp(stack, `${label} ${name} ${n}`)));
  const businessId = ok(await owner!.run('RegisterBusiness', { input: { name: `${label} ${n}`, city: 'Mong Kok' } })).registerBusiness.id as string;
  const memberships: Record<string, string> = {};
  for (const [actor, role] of [[manager!, 'MANAGER'], [cashier!, 'CASHIER']] as const) {
    memberships[actor.id] = ok(await owner!.run('AddBusinessMember', { input: { businessId, phone: actor.phone, role } })).addBusinessMember.id;
  }
  await topUp(customer!, '1000.00');
  return { businessId, owner: owner!, manager: manager!, cashier: cashier!, customer: customer!, memberships };
}

async function topUp(actor: Actor, amount: string) {
  ok(await actor.run('TopUpWallet', { input: { amount, idempotencyKey: key() } }));
}

async function requestAndPay(creator: Actor, payer: Actor, businessId: string, amount: string, reference?: string) {
  const request = ok(await creator.run('CreatePaymentRequest', { input: { businessId, amount, reference } })).createPaymentRequest;
  const payment = ok(await payer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
  return { request, payment };
}

const paymentsOf = async (actor: Actor, businessId: string, filter?: Record<string, unknown>) =>
  ok(await actor.run('BusinessPayments', { id: businessId, first: 50, filter })).business.payments;

describe('createdBy, and a CASHIER sees only their own', () => {
  it('requests and payments carry their creator; a CASHIER lists, reads and cancels only theirs', async () => {
    const s = await shop('Own');
    const byCashier = await requestAndPay(s.cashier, s.customer, s.businessId, '10.00', 'C-1');
    const byManager = await requestAndPay(s.manager, s.customer, s.businessId, '20.00', 'M-1');
    const shopQr = ok(await s.customer.run('PayBusiness', { input: { businessId: s.businessId, amount: '5.00', idempotencyKey: key() } })).payBusiness;

    const all = await paymentsOf(s.owner, s.businessId);
    expect(all.totalCount).toBe(3);
    expect(all.edges.map((edge: any) => [edge.node.id, edge.node.source, edge.node.createdBy])).toEqual([
      [shopQr.id, 'SHOP_QR', null],
      [byManager.payment.id, 'PAYMENT_REQUEST', { id: s.manager.id, displayName: s.manager.displayName }],
      [byCashier.payment.id, 'PAYMENT_REQUEST', { id: s.cashier.id, displayName: s.cashier.displayName }],
    ]);
    expect((await paymentsOf(s.manager, s.businessId)).totalCount).toBe(3);
    // A CASHIER: their own request's payment only (a shop-QR payment has no creator and is not theirs), whatever they filter.
    const own = await paymentsOf(s.cashier, s.businessId);
    expect([own.totalCount, own.edges.map((edge: any) => edge.node.id)]).toEqual([1, [byCashier.payment.id]]);
    expect((await paymentsOf(s.cashier, s.businessId, { createdById: s.manager.id })).totalCount).toBe(0);
    expect((await paymentsOf(s.cashier, s.businessId, { source: ['SHOP_QR'] })).totalCount).toBe(0);

    const open = ok(await s.manager.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } })).createPaymentRequest;
    const mine = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '2.00' } })).createPaymentRequest;
    const requests = async (actor: Actor, status?: string[]) =>
      ok(await actor.run('BusinessPaymentRequests', { id: s.businessId, first: 10, status })).business.paymentRequests.edges.map((edge: any) => edge.node.id);
    expect(await requests(s.owner)).toEqual([mine.id, open.id, byManager.request.id, byCashier.request.id]);
    expect(await requests(s.owner, ['PENDING'])).toEqual([mine.id, open.id]);
    expect(await requests(s.owner, ['PAID'])).toEqual([byManager.request.id, byCashier.request.id]);
    expect(await requests(s.cashier)).toEqual([mine.id, byCashier.request.id]);
    expect(await requests(s.cashier, ['PENDING'])).toEqual([mine.id]);
    // ACTIVE is a link's status: no request has it.
    expect(await requests(s.owner, ['ACTIVE'])).toEqual([]);
    const listed = ok(await s.owner.run('BusinessPaymentRequests', { id: s.businessId, first: 1, status: ['PENDING'] })).business.paymentRequests;
    expect(listed.edges[0].node).toEqual({ id: mine.id, status: 'PENDING', amount: { amount: '2.00', currencyCode: 'HKD' }, reference: null, expiresAt: expect.any(String), createdBy: { displayName: s.cashier.displayName } });
    expect(listed.pageInfo.hasNextPage).toBe(true);

    // Cancel: a CASHIER only their own; a MANAGER anyone's.
    expect(codes(await s.cashier.run('CancelPaymentRequest', { id: open.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await s.cashier.run('CancelPaymentRequest', { id: mine.id })).cancelPaymentRequest.status).toBe('CANCELLED');
    expect(ok(await s.manager.run('CancelPaymentRequest', { id: open.id })).cancelPaymentRequest.status).toBe('CANCELLED');
    // Reading someone else's request by id, and the sales summary: FORBIDDEN for a CASHIER.
    const watch = await s.cashier.run('BusinessDashboard', { id: s.businessId, from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    expect(codes(watch)).toEqual(['FORBIDDEN']);
    expect(ok(await s.manager.run('BusinessDashboard', { id: s.businessId, from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' })).business.salesSummary.count).toBe(3);
  });

  it('a removed CASHIER is refused at once, and their open request stays payable: the money is the business’s', async () => {
    const s = await shop('Leave');
    const request = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '3.00' } })).createPaymentRequest;
    ok(await s.owner.run('RemoveBusinessMember', { membershipId: s.memberships[s.cashier.id] }));
    expect(codes(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await s.cashier.run('BusinessPayments', { id: s.businessId, first: 5 }))).toEqual(['FORBIDDEN']);
    const payment = ok(await s.customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: key() } })).payPaymentRequest;
    expect(payment.status).toBe('COMPLETED');
    expect((await paymentsOf(s.owner, s.businessId)).edges[0].node.createdBy).toEqual({ id: s.cashier.id, displayName: s.cashier.displayName });
  });
});

describe('the shop QR', () => {
  it('is a static EMVCo payload naming the business: no amount, the same until the name or city changes; members only', async () => {
    const s = await shop('Qr');
    const shown = ok(await s.cashier.run('BusinessShopQr', { id: s.businessId })).business.shopQr;
    expect(shown.svg).toMatch(/^<svg/);
    const scan = classifyScan(shown.payload);
    expect(scan).toMatchObject({ kind: 'harbour', target: { kind: 'business', id: s.businessId } });
    expect(shown.payload).toMatch(/^000201010211/);
    expect(shown.payload).not.toMatch(/54\d\d\d+\.\d\d58/);
    expect(ok(await s.owner.run('BusinessShopQr', { id: s.businessId })).business.shopQr.payload).toBe(shown.payload);
    expect(codes(await s.customer.run('BusinessShopQr', { id: s.businessId }))).toEqual(['FORBIDDEN']);
    ok(await s.owner.run('UpdateBusiness', { input: { businessId: s.businessId, city: 'Tai Po' } }));
    const moved = ok(await s.owner.run('BusinessShopQr', { id: s.businessId })).business.shopQr.payload;
    expect(moved).not.toBe(shown.payload);
    // The old code names the business with its old city: INVALID_QR, as any code that does not match what it names.
    expect(codes(await s.customer.run('ScanQr', { payload: shown.payload }))).toEqual(['INVALID_QR']);
    expect(ok(await s.customer.run('ScanQr', { payload: moved })).scanQr).toEqual({ __typename: 'Business', id: s.businessId, name: expect.any(String), city: 'Tai Po' });
  });

  it('scanQr answers the union; paymentRequestByQr answers QR_NOT_SUPPORTED for static codes; bad codes get their errors', async () => {
    const s = await shop('Scan');
    const shopPayload = ok(await s.owner.run('BusinessShopQr', { id: s.businessId })).business.shopQr.payload;
    const request = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '8.80', reference: 'T7' } })).createPaymentRequest;
    const link = ok(await s.manager.run('CreatePaymentLink', { input: { businessId: s.businessId, amount: '99.00', description: 'Mooncakes' } })).createPaymentLink;

    const scanned = async (payload: string) => ok(await s.customer.run('ScanQr', { payload })).scanQr;
    expect(await scanned(request.qrPayload)).toEqual({
      __typename: 'PaymentRequest',
      id: request.id,
      status: 'PENDING',
      amount: { amount: '8.80', currencyCode: 'HKD' },
      reference: 'T7',
      business: { id: s.businessId, name: expect.any(String), city: 'Mong Kok' },
    });
    expect(await scanned(shopPayload)).toEqual({ __typename: 'Business', id: s.businessId, name: expect.any(String), city: 'Mong Kok' });
    expect(await scanned(link.qrPayload)).toEqual({
      __typename: 'PaymentLink',
      id: link.id,
      status: 'ACTIVE',
      amount: { amount: '99.00', currencyCode: 'HKD' },
      description: 'Mooncakes',
      business: { id: s.businessId, name: expect.any(String), city: 'Mong Kok' },
    });

    for (const payload of [shopPayload, link.qrPayload]) expect(codes(await s.customer.run('PaymentRequestByQr', { payload }))).toEqual(['QR_NOT_SUPPORTED']);
    expect(ok(await s.customer.run('PaymentRequestByQr', { payload: request.qrPayload })).paymentRequestByQr.id).toBe(request.id);

    // A static shop code that claims an amount, with a recomputed CRC: INVALID_QR.
    const body = shopPayload.slice(0, -8);
    const withAmount = body.replace('5303344', '5303344540510.00') + '6304';
    expect(classifyScan(withAmount + crcHex(withAmount))).toMatchObject({ kind: 'invalid' });
    expect(codes(await s.customer.run('ScanQr', { payload: withAmount + crcHex(withAmount) }))).toEqual(['INVALID_QR']);
    // Another business's id in the same layout, CRC recomputed: NOT_FOUND (no such business) or INVALID_QR (not what it names).
    const forged = body.replace(s.businessId, 'biz_01JD0000000000000000000000') + '6304';
    expect(codes(await s.customer.run('ScanQr', { payload: forged + crcHex(forged) }))).toEqual(['NOT_FOUND']);
    expect(codes(await s.customer.run('ScanQr', { payload: 'hello' }))).toEqual(['INVALID_QR']);
    expect(codes(await postGraphQL(stack.gatewayUrl, op('ScanQr'), { payload: shopPayload }))).toEqual(['UNAUTHENTICATED']);
  });

  it('payBusiness moves the typed amount once per key, with the events every payment makes', async () => {
    const s = await shop('PayShop');
    const input = { businessId: s.businessId, amount: '42.50', reference: 'Table 4', idempotencyKey: key() };
    const paid = ok(await s.customer.run('PayBusiness', { input })).payBusiness;
    expect(paid).toEqual({
      id: expect.stringMatching(/^pay_/),
      status: 'COMPLETED',
      source: 'SHOP_QR',
      amount: { amount: '42.50', currencyCode: 'HKD' },
      reference: 'Table 4',
      completedAt: expect.any(String),
      payer: { id: s.customer.id, displayName: s.customer.displayName },
      business: { id: s.businessId, name: expect.any(String) },
    });
    // The same key and input: the same payment; the same key, another amount: IDEMPOTENCY_KEY_REUSED.
    expect(ok(await s.customer.run('PayBusiness', { input })).payBusiness.id).toBe(paid.id);
    expect(codes(await s.customer.run('PayBusiness', { input: { ...input, amount: '1.00' } }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(ok(await s.customer.run('Me')).me.wallet.balance.amount).toBe('957.50');

    // The money rules of every payment.
    expect(codes(await s.customer.run('PayBusiness', { input: { ...input, amount: '5000.00', idempotencyKey: key() } }))).toEqual(['INSUFFICIENT_FUNDS']);
    expect(codes(await s.customer.run('PayBusiness', { input: { ...input, amount: '50000.01', idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.customer.run('PayBusiness', { input: { ...input, amount: '0.00', idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.customer.run('PayBusiness', { input: { ...input, businessId: 'biz_01JD0000000000000000000000', idempotencyKey: key() } }))).toEqual(['NOT_FOUND']);
    await topUp(s.cashier, '10.00');
    expect(codes(await s.cashier.run('PayBusiness', { input: { ...input, amount: '1.00', idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);

    // The payer's timeline and notification; the business's reports.
    await eventually(
      () => s.customer.run('MyTimeline', { first: 5 }),
      (response) => expect(ok(response).me.timeline.edges.map((edge: any) => edge.node.kind)).toContain('PAYMENT_SENT'),
    );
    await eventually(
      () => s.customer.run('MyNotifications', { first: 5 }),
      (response) => expect(ok(response).me.notifications.edges.map((edge: any) => edge.node.kind)).toContain('PAYMENT_SENT'),
    );
    const dashboard = ok(await s.owner.run('BusinessDashboard', { id: s.businessId, from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' })).business;
    expect([dashboard.salesSummary.count, dashboard.salesSummary.gross.amount, dashboard.payments.edges[0].node.id]).toEqual([1, '42.50', paid.id]);
    // A shop-QR payment refunds like any other.
    expect(ok(await s.manager.run('RefundPayment', { input: { paymentId: paid.id, amount: '2.50', idempotencyKey: key() } })).refundPayment.payment.status).toBe('PARTIALLY_REFUNDED');
  });

  it('concurrent payBusiness with one key: one payment, the money moved once', async () => {
    const s = await shop('Race');
    const input = { businessId: s.businessId, amount: '10.00', idempotencyKey: key() };
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.customer.run('PayBusiness', { input })));
    const ids = new Set(answers.filter((answer) => !answer.body.errors).map((answer) => answer.body.data!.payBusiness.id));
    expect(ids.size).toBe(1);
    for (const answer of answers) expect(codes(answer).every((code) => code === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
    expect(ok(await s.customer.run('Me')).me.wallet.balance.amount).toBe('990.00');
  });
});

describe('businessPaymentReceived', () => {
  it('pushes every payment the business receives, whatever its source, to members (a CASHIER too); a removed member’s ends with FORBIDDEN', async () => {
    const s = await shop('Live');
    const connect = (actor: Actor) => {
      const live = liveClient(stack.gatewayUrl, actor.token);
      sockets.push(live);
      return live;
    };
    const cashierFeed = new Collected(connect(s.cashier).client, op('BusinessPaymentReceived'), { businessId: s.businessId });
    const ownerFeed = new Collected(connect(s.owner).client, op('BusinessPaymentReceived'), { businessId: s.businessId });
    const outsiderFeed = new Collected(connect(s.customer).client, op('BusinessPaymentReceived'), { businessId: s.businessId });
    await outsiderFeed.done;
    expect(outsiderFeed.results.map((result) => result.errors?.map((error: any) => error.extensions?.code))).toEqual([['FORBIDDEN']]);
    // Subscribed (the member check answered) before the payments.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const started = Date.now();
    const { payment: byRequest } = await requestAndPay(s.manager, s.customer, s.businessId, '12.00', 'R-1');
    const byShop = ok(await s.customer.run('PayBusiness', { input: { businessId: s.businessId, amount: '3.00', idempotencyKey: key() } })).payBusiness;
    const link = ok(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, description: 'Tips' } })).createPaymentLink;
    const byLink = ok(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: link.id, amount: '7.00', idempotencyKey: key() } })).payPaymentLink;

    for (const feed of [cashierFeed, ownerFeed]) {
      const results = await feed.atLeast(3);
      const received = results.map((result) => result.data!.businessPaymentReceived);
      expect(received.map((payment: any) => [payment.id, payment.source]).sort()).toEqual(
        [[byRequest.id, 'PAYMENT_REQUEST'], [byShop.id, 'SHOP_QR'], [byLink.id, 'PAYMENT_LINK']].sort(),
      );
      expect(received.find((payment: any) => payment.id === byRequest.id)).toEqual({
        id: byRequest.id,
        source: 'PAYMENT_REQUEST',
        amount: { amount: '12.00', currencyCode: 'HKD' },
        reference: 'R-1',
        completedAt: expect.any(String),
        payer: { id: s.customer.id, displayName: s.customer.displayName },
      });
    }
    expect(Date.now() - started).toBeLessThan(30_000);

    // Removed: the cashier's subscription ends with FORBIDDEN within a second.
    ok(await s.owner.run('RemoveBusinessMember', { membershipId: s.memberships[s.cashier.id] }));
    const removedAt = Date.now();
    await cashierFeed.atLeast(4, 1_000 + 500);
    const ended = Date.now() - removedAt;
    expect(cashierFeed.results[3]!.errors!.map((error: any) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    await cashierFeed.done;
    expect(ended).toBeLessThan(1_500);
    // The owner's goes on.
    ok(await s.customer.run('PayBusiness', { input: { businessId: s.businessId, amount: '1.00', idempotencyKey: key() } }));
    await ownerFeed.atLeast(4);
    expect(cashierFeed.results).toHaveLength(4);
  });

  it('a member removed while their subscription opens is refused all the same, whichever comes first', async () => {
    const s = await shop('Opening');
    const cashiers = await Promise.all(Array.from({ length: 12 }, (_, i) => signUp(stack, `Opening Cashier ${i}`)));
    const memberships: string[] = [];
    for (const cashier of cashiers) {
      memberships.push(ok(await s.owner.run('AddBusinessMember', { input: { businessId: s.businessId, phone: cashier.phone, role: 'CASHIER' } })).addBusinessMember.id);
    }
    const lives = await Promise.all(
      cashiers.map(async (cashier) => {
        const live = liveClient(stack.gatewayUrl, cashier.token);
        sockets.push(live);
        await live.connected;
        return live;
      }),
    );
    // The removals land across the subscriptions' opening: some before the member check, some during, some after.
    const feeds = await Promise.all(
      lives.map(async (live, i) => {
        const removal = new Promise((resolve) => setTimeout(resolve, i * 4)).then(async () => ok(await s.owner.run('RemoveBusinessMember', { membershipId: memberships[i] })));
        const feed = new Collected(live.client, op('BusinessPaymentReceived'), { businessId: s.businessId });
        await removal;
        return feed;
      }),
    );
    const removedAt = Date.now();
    for (const feed of feeds) {
      await Promise.race([feed.done, new Promise((resolve) => setTimeout(resolve, Math.max(1, removedAt + 1_500 - Date.now())))]);
      expect(feed.results.map((result) => result.errors?.map((error: any) => error.extensions?.code))).toEqual([['FORBIDDEN']]);
    }
  });
});

describe('payment links', () => {
  it('create, read publicly, pay (fixed and open amounts), deactivate, list; statuses and their errors', async () => {
    const s = await shop('Link');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const input = { businessId: s.businessId, amount: '25.00', description: 'Yoga class', maxPayments: 2, expiresAt, idempotencyKey: key() };
    const link = ok(await s.manager.run('CreatePaymentLink', { input })).createPaymentLink;
    expect(link).toEqual({
      id: expect.stringMatching(/^plk_[0-9A-Z]{26}$/),
      url: `https://pay.example.hk/pay/${link.id}`,
      status: 'ACTIVE',
      amount: { amount: '25.00', currencyCode: 'HKD' },
      description: 'Yoga class',
      maxPayments: 2,
      paymentCount: 0,
      expiresAt: new Date(expiresAt).toISOString(),
      qrPayload: expect.stringMatching(/^000201010211/),
      qrSvg: expect.stringMatching(/^<svg/),
      business: { id: s.businessId, name: expect.any(String) },
    });
    expect(classifyScan(link.qrPayload)).toMatchObject({ kind: 'harbour', target: { kind: 'paymentLink', id: link.id } });
    expect(link.qrPayload).toContain('540525.00');
    // The same key and input: the same link.
    expect(ok(await s.manager.run('CreatePaymentLink', { input })).createPaymentLink.id).toBe(link.id);

    // Public: no token needed; nothing about who paid.
    const read = await postGraphQL(stack.gatewayUrl, op('PaymentLink'), { id: link.id });
    expect(ok(read).paymentLink).toEqual({ id: link.id, status: 'ACTIVE', amount: { amount: '25.00', currencyCode: 'HKD' }, description: 'Yoga class', expiresAt: link.expiresAt, business: { id: s.businessId, name: expect.any(String), city: 'Mong Kok' } });
    expect(ok(await postGraphQL(stack.gatewayUrl, op('PaymentLink'), { id: 'plk_01JD0000000000000000000000' })).paymentLink).toBeNull();

    const pay = (actor: Actor, extra: Record<string, unknown> = {}) => actor.run('PayPaymentLink', { input: { paymentLinkId: link.id, idempotencyKey: key(), ...extra } });
    expect(codes(await pay(s.customer, { amount: '25.00' }))).toEqual(['BAD_USER_INPUT']);
    const first = ok(await pay(s.customer)).payPaymentLink;
    expect(first).toEqual({
      id: expect.stringMatching(/^pay_/),
      status: 'COMPLETED',
      source: 'PAYMENT_LINK',
      amount: { amount: '25.00', currencyCode: 'HKD' },
      completedAt: expect.any(String),
      paymentLink: { id: link.id, status: 'ACTIVE', paymentCount: 1 },
      business: { id: s.businessId, name: expect.any(String) },
    });
    const secondKey = key();
    const second = ok(await pay(s.customer, { idempotencyKey: secondKey })).payPaymentLink;
    expect(second.paymentLink).toEqual({ id: link.id, status: 'COMPLETED', paymentCount: 2 });
    expect(codes(await pay(s.customer))).toEqual(['PAYMENT_LINK_NOT_PAYABLE']);
    // A retry of the payment that completed the link answers that payment: its key, not the link's status, decides.
    expect(ok(await pay(s.customer, { idempotencyKey: secondKey })).payPaymentLink).toEqual(second);
    expect(ok(await s.customer.run('Me')).me.wallet.balance.amount).toBe('950.00');

    // An open amount: the payer chooses, and must.
    const open = ok(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, description: 'Donations' } })).createPaymentLink;
    expect([open.amount, open.maxPayments, open.expiresAt]).toEqual([null, null, null]);
    expect(open.qrPayload).not.toMatch(/^(?:[^5]|5[^4])*54\d\d/);
    expect(codes(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: open.id, idempotencyKey: key() } }))).toEqual(['BAD_USER_INPUT']);
    expect(ok(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: open.id, amount: '3.30', idempotencyKey: key() } })).payPaymentLink.amount.amount).toBe('3.30');

    // Deactivate: OWNER or MANAGER; again answers it as it is; paying it is refused.
    expect(codes(await s.cashier.run('DeactivatePaymentLink', { id: open.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await s.manager.run('DeactivatePaymentLink', { id: open.id })).deactivatePaymentLink).toEqual({ id: open.id, status: 'INACTIVE' });
    expect(ok(await s.owner.run('DeactivatePaymentLink', { id: open.id })).deactivatePaymentLink).toEqual({ id: open.id, status: 'INACTIVE' });
    expect(codes(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: open.id, amount: '1.00', idempotencyKey: key() } }))).toEqual(['PAYMENT_LINK_NOT_PAYABLE']);
    expect(codes(await s.customer.run('DeactivatePaymentLink', { id: open.id }))).toEqual(['NOT_FOUND']);

    // Listing: OWNERs and MANAGERs, newest first; a CASHIER FORBIDDEN.
    const listed = ok(await s.owner.run('BusinessPaymentLinks', { id: s.businessId, first: 1 })).business.paymentLinks;
    expect(listed.edges.map((edge: any) => edge.node)).toEqual([{ id: open.id, status: 'INACTIVE', description: 'Donations', paymentCount: 1, amount: null }]);
    const next = ok(await s.manager.run('BusinessPaymentLinks', { id: s.businessId, first: 5, after: listed.pageInfo.endCursor })).business.paymentLinks;
    expect(next.edges.map((edge: any) => [edge.node.id, edge.node.status])).toEqual([[link.id, 'COMPLETED']]);
    expect(codes(await s.cashier.run('BusinessPaymentLinks', { id: s.businessId, first: 5 }))).toEqual(['FORBIDDEN']);

    // Creating: a CASHIER may not; bad terms are BAD_USER_INPUT field by field.
    expect(codes(await s.cashier.run('CreatePaymentLink', { input: { businessId: s.businessId, description: 'x' } }))).toEqual(['FORBIDDEN']);
    for (const bad of [{ description: '' }, { description: 'x'.repeat(141) }, { description: 'x', maxPayments: 0 }, { description: 'x', maxPayments: 100_001 }, { description: 'x', amount: '0.00' }, { description: 'x', expiresAt: '2020-01-01T00:00:00Z' }]) {
      expect(codes(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, ...bad } }))).toEqual(['BAD_USER_INPUT']);
    }
    // Link payments show in the business's payments, with no creator.
    const found = await paymentsOf(s.owner, s.businessId, { source: ['PAYMENT_LINK'] });
    expect(found.totalCount).toBe(3);
    expect(found.edges.every((edge: any) => edge.node.createdBy === null)).toBe(true);
  });

  it('turns EXPIRED when read or paid after its expiry, not only by a sweeper', async () => {
    const s = await shop('Expiry');
    const link = ok(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, amount: '1.00', description: 'Soon gone', expiresAt: new Date(Date.now() + 1_500).toISOString() } })).createPaymentLink;
    const paidInTime = { paymentLinkId: link.id, idempotencyKey: key() };
    const inTime = ok(await s.customer.run('PayPaymentLink', { input: paidInTime })).payPaymentLink;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // A retry after the expiry of a payment made before it: the same payment, no more money moved.
    expect(ok(await s.customer.run('PayPaymentLink', { input: paidInTime })).payPaymentLink.id).toBe(inTime.id);
    expect(ok(await postGraphQL(stack.gatewayUrl, op('PaymentLink'), { id: link.id })).paymentLink.status).toBe('EXPIRED');
    const db = await connectToDatabase(stack.env.PAYMENT_DATABASE_URL!);
    try {
      expect(((await db.query('SELECT status FROM payment_links WHERE id = ?', [link.id])) as Array<{ status: string }>)[0]!.status).toBe('EXPIRED');
    } finally {
      await db.end();
    }
    expect(codes(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: link.id, idempotencyKey: key() } }))).toEqual(['PAYMENT_LINK_NOT_PAYABLE']);
    expect(ok(await s.customer.run('Me')).me.wallet.balance.amount).toBe('999.00');
  });

  it('maxPayments is exact under concurrency: 50 payers race for the last place, one pays, no money moves for the rest', async () => {
    const s = await shop('LastPlace');
    const link = ok(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, amount: '5.00', description: 'Last seat', maxPayments: 2 } })).createPaymentLink;
    ok(await s.customer.run('PayPaymentLink', { input: { paymentLinkId: link.id, idempotencyKey: key() } }));
    const payers = await Promise.all(Array.from({ length: 50 }, (_, i) => signUp(stack, `Racer ${i}`)));
    await Promise.all(payers.map((payer) => topUp(payer, '5.00')));
    const answers = await Promise.all(payers.map((payer) => payer.run('PayPaymentLink', { input: { paymentLinkId: link.id, idempotencyKey: key() } })));
    const paid = answers.filter((answer) => !answer.body.errors);
    expect(paid).toHaveLength(1);
    expect(answers.filter((answer) => codes(answer)[0] === 'PAYMENT_LINK_NOT_PAYABLE')).toHaveLength(49);
    expect(paid[0]!.body.data!.payPaymentLink.paymentLink).toEqual({ id: link.id, status: 'COMPLETED', paymentCount: 2 });
    const balances = await Promise.all(payers.map(async (payer) => ok(await payer.run('Me')).me.wallet.balance.amount));
    expect(balances.filter((balance) => balance === '0.00')).toHaveLength(1);
    expect(balances.filter((balance) => balance === '5.00')).toHaveLength(49);
    expect((await paymentsOf(s.owner, s.businessId)).totalCount).toBe(2);

    const ledger = await ledgerInvariants(stack.env.PAYMENT_DATABASE_URL!);
    try {
      expect([ledger.sumOfAllAccounts, ledger.unbalancedEntries, ledger.balancesOffTheirLines, ledger.negativeWallets, ledger.entriesPerReference]).toEqual([0n, [], [], [], []]);
      // The kept payment counts (the unfiltered totalCount) agree with the payments, business by business.
      const offCounts = await ledger.count(`
        SELECT COUNT(*) AS n FROM (SELECT business_id, COUNT(*) AS n FROM payments GROUP BY business_id) p
        LEFT JOIN (SELECT business_id, SUM(payments) AS n FROM business_payment_counts GROUP BY business_id) c ON c.business_id = p.business_id
        WHERE c.n IS NULL OR c.n <> p.n`);
      expect(offCounts).toBe(0);
    } finally {
      await ledger.close();
    }
  });
});
