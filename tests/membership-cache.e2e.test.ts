/**
 * The payment subgraph remembers callers' roles in businesses for its read
 * paths (BusinessDashboard's report and payments) instead of asking the
 * business subgraph on every request, and forgets one when the business
 * subgraph's `business.membership_changed` event says it changed
 * (service-boundaries.md). On the whole stack: the event travels from the
 * business subgraph's outbox through its relay, the bus, one payment
 * replica and Redis pub/sub.
 *
 * To open a gap between the row and its event (what is remembered shows in
 * it), the test does by hand what removeBusinessMember does: changes the
 * `memberships` row and writes the event to the business outbox. The staff
 * e2e test (tests/staff.e2e.test.ts) removes members with the mutation.
 */
import { businessMembershipChanged, createEvent, outboxRow } from '@harbour/events';
import { newId } from '@harbour/server';
import type mariadb from 'mariadb';
import { ok, signUp, type Actor } from './support/actors';
import { connectToDatabase } from './support/database';
import { eventually } from './support/eventually';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(120_000);

let stack: RunningStack;
let business: mariadb.Connection;
let owner: Actor;
let businessId: string;

const window = { from: '2026-01-01T00:00:00+08:00', to: '2030-01-01T00:00:00+08:00' };
const dashboard = (actor: Actor) => actor.run('BusinessDashboard', { id: businessId, ...window });
const codesOf = (response: { body: { errors?: Array<{ extensions?: { code?: unknown } }> } }) =>
  (response.body.errors ?? []).map((error) => error.extensions?.code);

/** What a "remove member" mutation will do: the row and its event, in one transaction. */
async function removeMember(userId: string, previousRole: 'OWNER' | 'CASHIER') {
  const event = createEvent(businessMembershipChanged, {
    source: 'business',
    aggregateType: 'business',
    aggregateId: businessId,
    payload: {
      businessId,
      businessName: 'Corner Shop',
      userId,
      change: 'REMOVED',
      role: null,
      previousRole,
      changedByUserId: owner.id,
      changedAt: new Date().toISOString(),
    },
  });
  const row = outboxRow(event);
  await business.beginTransaction();
  await business.query('DELETE FROM memberships WHERE business_id = ? AND user_id = ?', [businessId, userId]);
  await business.query('INSERT INTO outbox_events (id, aggregate_type, aggregate_id, type, version, payload, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    row.id,
    row.aggregateType,
    row.aggregateId,
    row.type,
    row.version,
    JSON.stringify(row.payload),
    row.occurredAt,
  ]);
  await business.commit();
}

beforeAll(async () => {
  // An hour: whatever is forgotten below is forgotten because of an event, not because it timed out.
  stack = await startStack({ PAYMENT_MEMBERSHIP_CACHE_SECONDS: '3600' });
  business = await connectToDatabase(stack.env.BUSINESS_DATABASE_URL!);
  owner = await signUp(stack, 'Owner');
  businessId = ok(await owner.run('RegisterBusiness', { input: { name: 'Corner Shop', city: 'Hong Kong' } })).registerBusiness.id;
});

afterAll(async () => {
  await business?.end();
  await stack?.stop();
});

it('remembers a member for reports, asks afresh for actions, and forgets on the business subgraph’s event', async () => {
  // The registration's own membership event (ADDED) evicts too: let it pass before anything is remembered.
  await eventually(
    () => business.query('SELECT COUNT(*) AS waiting FROM outbox_events WHERE published_at IS NULL'),
    (rows: Array<{ waiting: bigint | number }>) => expect(Number(rows[0]!.waiting)).toBe(0),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(ok(await dashboard(owner)).business.salesSummary.count).toBe(0);

  // The row goes first, its event a moment later: the gap shows what is remembered.
  await business.query('DELETE FROM memberships WHERE business_id = ? AND user_id = ?', [businessId, owner.id]);
  expect(ok(await dashboard(owner)).business.salesSummary.count).toBe(0);
  // Acting for the business is decided on a fresh answer.
  const create = await owner.run('CreatePaymentRequest', { input: { businessId, amount: '10.00' } });
  expect(codesOf(create)).toEqual(['FORBIDDEN']);

  await business.query("INSERT INTO memberships (id, business_id, user_id, role, created_at) VALUES (?, ?, ?, 'OWNER', NOW(3))", [newId('membership'), businessId, owner.id]);
  await removeMember(owner.id, 'OWNER');
  const refused = await eventually(
    () => dashboard(owner),
    (response) => expect(codesOf(response)).toContain('FORBIDDEN'),
  );
  expect(refused.body.data?.business).toMatchObject({ id: businessId, name: 'Corner Shop', salesSummary: null, payments: null });
});

it('never remembers a refusal: someone just added sees the report at once', async () => {
  const cashier = await signUp(stack, 'Cashier');
  expect(codesOf(await dashboard(cashier))).toContain('FORBIDDEN');
  // A MANAGER: the dashboard's sales summary is not a CASHIER's (merchant.md).
  await business.query("INSERT INTO memberships (id, business_id, user_id, role, created_at) VALUES (?, ?, ?, 'MANAGER', NOW(3))", [newId('membership'), businessId, cashier.id]);
  expect(ok(await dashboard(cashier)).business.salesSummary.count).toBe(0);
});
