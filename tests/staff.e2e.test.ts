/**
 * Staff and roles (contract part 2, merchant.md "Roles"), through the gateway
 * on the whole stack: the merchant contract's UpdateBusiness, BusinessMembers,
 * AddBusinessMember, ChangeBusinessMemberRole and RemoveBusinessMember,
 * verbatim; the permission table cell by cell (role × action); LAST_OWNER
 * under concurrency; the BUSINESS_MEMBER_ADDED notification; and a removal
 * taking effect within a second on two payment replicas behind two gateways.
 */
import { contractOperation as op } from './support/contract';
import { ok, phoneSpellings, signUp, type Actor } from './support/actors';
import { eventually } from './support/eventually';
import { postGraphQL } from './support/graphql-client';
import { startSecondReplicas, type SecondReplicas } from './support/second-replicas';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;
let second: SecondReplicas | undefined;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'error' });
  second = await startSecondReplicas(stack);
}, stackStartTimeout(180_000));

afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

type Role = 'OWNER' | 'MANAGER' | 'CASHIER';
const codes = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) => (response.body.errors ?? []).map((error) => error.extensions?.code);

let shops = 0;
/** A business with one member of each role (besides its first OWNER), and an outsider. */
async function shop(): Promise<{ businessId: string; owner: Actor; manager: Actor; cashier: Actor; outsider: Actor; memberships: Record<string, string> }> {
  const n = shops++;
  const [owner, manager, cashier, outsider] = await Promise.all(['Owner', 'Manager', 'Cashier', 'Outsider'].map((name) => signUp(stack, `${name} ${n}`)));
  const businessId = ok(await owner!.run('RegisterBusiness', { input: { name: `Staff Shop ${n}`, city: 'Hong Kong' } })).registerBusiness.id as string;
  const memberships: Record<string, string> = {};
  for (const [actor, role] of [[manager!, 'MANAGER'], [cashier!, 'CASHIER']] as const) {
    memberships[actor.id] = ok(await owner!.run('AddBusinessMember', { input: { businessId, phone: actor.phone, role } })).addBusinessMember.id;
  }
  const members = ok(await owner!.run('BusinessMembers', { id: businessId, first: 10 })).business.members.edges;
  memberships[owner!.id] = members.find((edge: { node: { user: { id: string } } }) => edge.node.user.id === owner!.id).node.id;
  return { businessId, owner: owner!, manager: manager!, cashier: cashier!, outsider: outsider!, memberships };
}

describe('adding a member by phone', () => {
  it('adds the user who signed up with the number, in any spelling; answers the contract fields', async () => {
    const owner = await signUp(stack, 'Add Owner');
    const businessId = ok(await owner.run('RegisterBusiness', { input: { name: 'Add Shop', city: 'Kowloon' } })).registerBusiness.id;
    const cashier = await signUp(stack, 'Add Cashier');
    const added = ok(await owner.run('AddBusinessMember', { input: { businessId, phone: phoneSpellings(cashier.phone)['full-width digits and plus'], role: 'CASHIER' } })).addBusinessMember;
    expect(added).toEqual({ id: expect.stringMatching(/^mem_[0-9A-Z]{26}$/), role: 'CASHIER', joinedAt: expect.any(String), user: { id: cashier.id, displayName: 'Add Cashier' }, business: { id: businessId, name: 'Add Shop' } });
    // The business shows in their own list, with their role.
    expect(ok(await cashier.run('MyBusinesses')).me.businesses).toEqual([expect.objectContaining({ id: businessId, role: 'CASHIER' })]);
    // Again, under another spelling: ALREADY_MEMBER.
    expect(codes(await owner.run('AddBusinessMember', { input: { businessId, phone: `${cashier.phone} `, role: 'MANAGER' } }))).toEqual(['ALREADY_MEMBER']);
    expect(codes(await owner.run('AddBusinessMember', { input: { businessId, phone: '+85299999999', role: 'CASHIER' } }))).toEqual(['NOT_FOUND']);
    expect(codes(await owner.run('AddBusinessMember', { input: { businessId, phone: 'not a phone', role: 'CASHIER' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await owner.run('AddBusinessMember', { input: { businessId: 'biz_01JD0000000000000000000000', phone: cashier.phone, role: 'CASHIER' } }))).toEqual(['NOT_FOUND']);
    // Someone who may not add members learns nothing about the number: FORBIDDEN whether it has an account or not.
    const outsider = await signUp(stack, 'Add Outsider');
    for (const phone of ['+85299999999', cashier.phone]) {
      expect(codes(await outsider.run('AddBusinessMember', { input: { businessId, phone, role: 'CASHIER' } }))).toEqual(['FORBIDDEN']);
    }
  });

  it('tells the added user (BUSINESS_MEMBER_ADDED), in their language; the owner registering is not told', async () => {
    const owner = await signUp(stack, 'Notice Owner');
    const businessId = ok(await owner.run('RegisterBusiness', { input: { name: 'Notice Shop', city: 'Sha Tin' } })).registerBusiness.id;
    const manager = await signUp(stack, 'Notice Manager');
    ok(await owner.run('AddBusinessMember', { input: { businessId, phone: manager.phone, role: 'MANAGER' } }));
    const notice = await eventually(
      () => manager.run('MyNotifications', { first: 5 }),
      (response) => expect(ok(response).me.notifications.edges.map((edge: { node: { kind: string } }) => edge.node.kind)).toContain('BUSINESS_MEMBER_ADDED'),
    );
    expect(ok(notice).me.notifications.edges[0].node).toMatchObject({ kind: 'BUSINESS_MEMBER_ADDED', title: 'Added to a business', body: 'You were added to Notice Shop as a manager.' });
    const zh = await postGraphQL(stack.gatewayUrl, op('MyNotifications'), { first: 5 }, { token: manager.token, headers: { 'accept-language': 'zh-HK' } });
    expect(ok(zh).me.notifications.edges[0].node).toMatchObject({ title: '已加入商戶', body: '你已以經理身份加入 Notice Shop。' });
    expect(ok(await owner.run('MyNotifications', { first: 5 })).me.notifications.edges.map((edge: { node: { kind: string } }) => edge.node.kind)).not.toContain('BUSINESS_MEMBER_ADDED');
  });
});

describe('the permission table, cell by cell', () => {
  /** What each role (and a non-member) gets for each staff action: null for allowed, else the error code. */
  const TABLE: Record<string, Record<Role | 'outsider', string | null>> = {
    'add a CASHIER': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'add a MANAGER': { OWNER: null, MANAGER: 'FORBIDDEN', CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'make the CASHIER a MANAGER': { OWNER: null, MANAGER: 'FORBIDDEN', CASHIER: 'FORBIDDEN', outsider: 'NOT_FOUND' },
    'remove the CASHIER': { OWNER: null, MANAGER: null, CASHIER: null /* that is leaving */, outsider: 'NOT_FOUND' },
    'remove the MANAGER': { OWNER: null, MANAGER: null /* leaving */, CASHIER: 'FORBIDDEN', outsider: 'NOT_FOUND' },
    'update the business': { OWNER: null, MANAGER: 'FORBIDDEN', CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'refund a payment': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'NOT_FOUND' },
    'see the sales summary': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'create a payment link': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'list payment links': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'deactivate a payment link': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'NOT_FOUND' },
    'create a payment request': { OWNER: null, MANAGER: null, CASHIER: null, outsider: 'FORBIDDEN' },
    'cancel the MANAGER’s request': { OWNER: null, MANAGER: null, CASHIER: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    'show the shop QR': { OWNER: null, MANAGER: null, CASHIER: null, outsider: 'FORBIDDEN' },
    'see every payment (the CASHIER: only their own)': { OWNER: null, MANAGER: null, CASHIER: null, outsider: 'FORBIDDEN' },
  };

  const cells = Object.entries(TABLE).flatMap(([action, row]) => Object.entries(row).map(([who, expected]) => [action, who, expected] as const));

  it.each(cells)('%s as %s → %s', async (action, who, expected) => {
    const s = await shop();
    const actor = { OWNER: s.owner, MANAGER: s.manager, CASHIER: s.cashier, outsider: s.outsider }[who as Role | 'outsider'];
    let response;
    if (action === 'add a CASHIER' || action === 'add a MANAGER') {
      const newcomer = await signUp(stack, 'Newcomer');
      response = await actor.run('AddBusinessMember', { input: { businessId: s.businessId, phone: newcomer.phone, role: action === 'add a CASHIER' ? 'CASHIER' : 'MANAGER' } });
    } else if (action === 'make the CASHIER a MANAGER') {
      response = await actor.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships[s.cashier.id], role: 'MANAGER' } });
    } else if (action === 'remove the CASHIER' || action === 'remove the MANAGER') {
      const target = action === 'remove the CASHIER' ? s.cashier : s.manager;
      response = await actor.run('RemoveBusinessMember', { membershipId: s.memberships[target.id] });
      if (!expected) expect(response.body.data?.removeBusinessMember).toBe(s.memberships[target.id]);
    } else if (action === 'update the business') {
      response = await actor.run('UpdateBusiness', { input: { businessId: s.businessId, city: 'Central' } });
      if (!expected) expect(response.body.data?.updateBusiness).toEqual({ id: s.businessId, name: expect.any(String), city: 'Central', merchantCategoryCode: null });
    } else if (action === 'see the sales summary') {
      response = await actor.run('BusinessDashboard', { id: s.businessId, from: '2026-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    } else if (action === 'create a payment link') {
      response = await actor.run('CreatePaymentLink', { input: { businessId: s.businessId, description: 'Table test' } });
    } else if (action === 'list payment links') {
      response = await actor.run('BusinessPaymentLinks', { id: s.businessId, first: 5 });
    } else if (action === 'deactivate a payment link') {
      const link = ok(await s.owner.run('CreatePaymentLink', { input: { businessId: s.businessId, description: 'Table test' } })).createPaymentLink;
      response = await actor.run('DeactivatePaymentLink', { id: link.id });
    } else if (action === 'create a payment request') {
      response = await actor.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } });
    } else if (action === 'cancel the MANAGER’s request') {
      const request = ok(await s.manager.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } })).createPaymentRequest;
      response = await actor.run('CancelPaymentRequest', { id: request.id });
    } else if (action === 'show the shop QR') {
      response = await actor.run('BusinessShopQr', { id: s.businessId });
    } else if (action === 'see every payment (the CASHIER: only their own)') {
      const customer = await signUp(stack, 'Table Customer');
      ok(await customer.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: `top-${customer.id}` } }));
      for (const creator of [s.manager, s.cashier]) {
        const request = ok(await creator.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '2.00' } })).createPaymentRequest;
        ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: `pay-${request.id}` } }));
      }
      response = await actor.run('BusinessPayments', { id: s.businessId, first: 10 });
      if (!expected) expect(response.body.data?.business.payments.totalCount).toBe(who === 'CASHIER' ? 1 : 2);
    } else {
      const customer = await signUp(stack, 'Refund Customer');
      ok(await customer.run('TopUpWallet', { input: { amount: '20.00', idempotencyKey: `top-${customer.id}` } }));
      const request = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '12.50' } })).createPaymentRequest;
      const payment = ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: request.id, idempotencyKey: `pay-${request.id}` } })).payPaymentRequest;
      response = await actor.run('RefundPayment', { input: { paymentId: payment.id, amount: '1.00', idempotencyKey: `refund-${payment.id}` } });
    }
    // One refusal per field refused (the dashboard asks for two of the payment subgraph's).
    expect([...new Set(codes(response))]).toEqual(expected ? [expected] : []);
  });

  it('members: OWNERs and MANAGERs see everyone, a CASHIER only themself, anyone else FORBIDDEN; pages are stable', async () => {
    const s = await shop();
    const ids = async (actor: Actor, first = 10, after?: string) => ok(await actor.run('BusinessMembers', { id: s.businessId, first, after })).business.members;
    const everyone = [s.owner.id, s.manager.id, s.cashier.id];
    expect((await ids(s.owner)).edges.map((edge: { node: { user: { id: string } } }) => edge.node.user.id)).toEqual(everyone);
    expect((await ids(s.manager)).edges.map((edge: { node: { user: { id: string } } }) => edge.node.user.id)).toEqual(everyone);
    expect((await ids(s.cashier)).edges.map((edge: { node: { role: string; user: { id: string } } }) => [edge.node.user.id, edge.node.role])).toEqual([[s.cashier.id, 'CASHIER']]);
    expect(codes(await s.outsider.run('BusinessMembers', { id: s.businessId, first: 10 }))).toEqual(['FORBIDDEN']);
    const first = await ids(s.owner, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await ids(s.owner, 2, first.pageInfo.endCursor);
    expect(second.edges.map((edge: { node: { user: { id: string } } }) => edge.node.user.id)).toEqual([s.cashier.id]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect(codes(await s.owner.run('BusinessMembers', { id: s.businessId, first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.owner.run('BusinessMembers', { id: s.businessId, first: 2, after: 'bm90IGEgY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a business always keeps an OWNER', () => {
  it('refuses to demote or remove the last OWNER (LAST_OWNER), even as themself leaving', async () => {
    const s = await shop();
    const own = s.memberships[s.owner.id];
    expect(codes(await s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: own, role: 'MANAGER' } }))).toEqual(['LAST_OWNER']);
    expect(codes(await s.owner.run('RemoveBusinessMember', { membershipId: own }))).toEqual(['LAST_OWNER']);
    // With a second OWNER, the first may step down.
    ok(await s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships[s.manager.id], role: 'OWNER' } }));
    expect(ok(await s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: own, role: 'CASHIER' } })).changeBusinessMemberRole).toEqual({ id: own, role: 'CASHIER' });
  });

  it('two OWNERs demoting each other at once: exactly one succeeds; the other, demoted by then, is FORBIDDEN; one OWNER is left', async () => {
    const s = await shop();
    ok(await s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships[s.manager.id], role: 'OWNER' } }));
    const [a, b] = await Promise.all([
      s.owner.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships[s.manager.id], role: 'CASHIER' } }),
      s.manager.run('ChangeBusinessMemberRole', { input: { membershipId: s.memberships[s.owner.id], role: 'CASHIER' } }),
    ]);
    // Before the business's lock, both succeeded: each read the other as an OWNER in its own snapshot.
    expect([codes(a), codes(b)].sort()).toEqual([[], ['FORBIDDEN']].sort());
    // Asked by the winner (the loser, a CASHIER now, sees only themself).
    const roles = ok(await (codes(a).length ? s.manager : s.owner).run('BusinessMembers', { id: s.businessId, first: 10 })).business.members.edges.map((edge: { node: { role: string } }) => edge.node.role);
    expect(roles.filter((role: string) => role === 'OWNER')).toHaveLength(1);
  });
});

describe('a change takes effect at once, everywhere', () => {
  it('a removed cashier is refused within a second through both gateways and both payment replicas; their open request stays payable', async () => {
    const s = await shop();
    const asCashier = (url: string, name: string, variables: Record<string, unknown>) => postGraphQL(url, op(name), variables, { token: s.cashier.token });
    const gateways = [stack.gatewayUrl, second!.gateway.url];
    // Each replica has answered (and may remember) the cashier's role.
    for (const url of gateways) {
      expect(codes(await asCashier(url, 'CreatePaymentRequest', { input: { businessId: s.businessId, amount: '3.00' } }))).toEqual([]);
      expect(codes(await asCashier(url, 'BusinessPayments', { id: s.businessId, first: 5 }))).toEqual([]);
    }
    const open = ok(await asCashier(stack.gatewayUrl, 'CreatePaymentRequest', { input: { businessId: s.businessId, amount: '4.00' } })).createPaymentRequest;
    expect(ok(await s.owner.run('RemoveBusinessMember', { membershipId: s.memberships[s.cashier.id] })).removeBusinessMember).toBe(s.memberships[s.cashier.id]);
    const removedAt = Date.now();
    for (const url of gateways) {
      expect(codes(await asCashier(url, 'CreatePaymentRequest', { input: { businessId: s.businessId, amount: '3.00' } }))).toEqual(['FORBIDDEN']);
      await eventually(
        () => asCashier(url, 'BusinessPayments', { id: s.businessId, first: 5 }),
        (response) => expect(codes(response)).toEqual(['FORBIDDEN']),
        1_000 - (Date.now() - removedAt),
      );
    }
    expect(Date.now() - removedAt).toBeLessThan(1_000);
    expect(ok(await s.cashier.run('MyBusinesses')).me.businesses).toEqual([]);
    // The money is the business's: the removed cashier's open request can still be paid.
    const customer = await signUp(stack, 'Late Customer');
    ok(await customer.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: `top-${customer.id}` } }));
    expect(ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: open.id, idempotencyKey: `pay-${open.id}` } })).payPaymentRequest.status).toBe('COMPLETED');
  });

  it('removal racing the cashier’s request creation: nothing started after the removal answered succeeds; what succeeded is the business’s and payable', async () => {
    const s = await shop();
    let removedAt = Infinity;
    const attempt = async () => {
      const startedAt = Date.now();
      return { startedAt, response: await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '1.00' } }) };
    };
    const attempts = Array.from({ length: 30 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 15)).then(() => attempt()));
    // However long the removal takes on a busy machine, some attempts start after it answered: these five at least.
    const removal = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ok(await s.owner.run('RemoveBusinessMember', { membershipId: s.memberships[s.cashier.id] }));
      removedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1));
      return Promise.all(Array.from({ length: 5 }, attempt));
    })();
    const [racing, afterRemoval] = await Promise.all([Promise.all(attempts), removal]);
    const results = [...racing, ...afterRemoval];
    const late = results.filter((result) => result.startedAt > removedAt);
    expect(late.length).toBeGreaterThan(0);
    for (const result of late) expect(codes(result.response)).toEqual(['FORBIDDEN']);
    const created = results.filter((result) => !result.response.body.errors).map((result) => result.response.body.data!.createPaymentRequest);
    expect(created.length).toBeGreaterThan(0);
    for (const result of results) expect(codes(result.response).every((code) => code === 'FORBIDDEN')).toBe(true);
    const listed = ok(await s.owner.run('BusinessPaymentRequests', { id: s.businessId, first: 50, status: ['PENDING'] })).business.paymentRequests.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(listed.sort()).toEqual(created.map((request: { id: string }) => request.id).sort());
    const customer = await signUp(stack, 'Race Customer');
    ok(await customer.run('TopUpWallet', { input: { amount: '10.00', idempotencyKey: `top-${customer.id}` } }));
    expect(ok(await customer.run('PayPaymentRequest', { input: { paymentRequestId: created[0].id, idempotencyKey: `pay-${created[0].id}` } })).payPaymentRequest.status).toBe('COMPLETED');
  });

  it('updateBusiness: only the fields given change; new payment requests print the new name', async () => {
    const s = await shop();
    const updated = ok(await s.owner.run('UpdateBusiness', { input: { businessId: s.businessId, name: 'Renamed Shop', merchantCategoryCode: '5812' } })).updateBusiness;
    expect(updated).toEqual({ id: s.businessId, name: 'Renamed Shop', city: 'Hong Kong', merchantCategoryCode: '5812' });
    const request = ok(await s.cashier.run('CreatePaymentRequest', { input: { businessId: s.businessId, amount: '5.00' } })).createPaymentRequest;
    expect(request.qrPayload).toContain('Renamed Shop');
    expect(codes(await s.owner.run('UpdateBusiness', { input: { businessId: s.businessId, name: 'x'.repeat(26) } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.owner.run('UpdateBusiness', { input: { businessId: s.businessId, merchantCategoryCode: '58' } }))).toEqual(['BAD_USER_INPUT']);
  });
});
