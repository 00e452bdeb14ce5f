/**
 * Webhooks in the notification subgraph, in process on real MariaDB: the
 * OWNERs known from the business subgraph's events, endpoints through
 * GraphQL, and domain events becoming one webhook event and one delivery per
 * subscribed ENABLED endpoint in the consumer's transaction, once.
 */
import { businessMembershipChanged, businessRegistered, createEvent, paymentCompletedV2 } from '@harbour/events';
import { newId } from '@harbour/server';
import { errorCodes, paymentEvent, startHarness, userId, type Harness } from '../../__tests__/support/harness';
import { secrets } from './support/webhooks';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url eventTypes description status createdAt } secret } }`;

function registered(businessId: string, ownerUserId: string) {
  return createEvent(businessRegistered, {
    source: 'business',
    aggregateType: 'business',
    aggregateId: businessId,
    payload: { businessId, name: 'Lucky Noodles', city: 'Kowloon', merchantCategoryCode: null, ownerUserId, registeredAt: new Date().toISOString() },
  });
}

function member(businessId: string, user: string, change: 'ADDED' | 'REMOVED', role: 'CASHIER' | 'OWNER' | null, previousRole: 'CASHIER' | 'OWNER' | null) {
  return createEvent(businessMembershipChanged, {
    source: 'business',
    aggregateType: 'business',
    aggregateId: businessId,
    payload: { businessId, businessName: 'Lucky Noodles', userId: user, change, role, previousRole, changedByUserId: 'usr_someone', changedAt: new Date().toISOString() },
  });
}

test('OWNERs only, known from business events: a CASHIER FORBIDDEN, a stranger and a removed OWNER NOT_FOUND', async () => {
  const businessId = newId('business');
  const [owner, cashier, second] = [userId(), userId(), userId()];
  const input = { businessId, url: 'http://127.0.0.1:9/hook', eventTypes: ['payment.completed'] };
  expect(errorCodes(await harness.graphql(owner, CREATE, { input }))).toEqual(['NOT_FOUND']);
  await harness.feed(registered(businessId, owner), member(businessId, cashier, 'ADDED', 'CASHIER', null), member(businessId, second, 'ADDED', 'OWNER', null));

  const made = await harness.graphql(owner, CREATE, { input: { ...input, description: '  Till  ' } });
  expect(made.body.errors).toBeUndefined();
  const { endpoint, secret } = made.body.data!.createWebhookEndpoint;
  expect(endpoint).toMatchObject({ url: 'http://127.0.0.1:9/hook', eventTypes: ['payment.completed'], description: 'Till', status: 'ENABLED' });
  // Stored encrypted, bound to the endpoint: the secret never appears in the row.
  const row = await harness.store.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
  expect(row.secret).not.toContain(secret.slice(6));
  expect(secrets.decrypt(row.secret, endpoint.id)).toBe(secret);

  expect(errorCodes(await harness.graphql(cashier, CREATE, { input }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await harness.graphql(userId(), CREATE, { input }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await harness.graphql(second, CREATE, { input }))).toEqual([]);
  await harness.feed(member(businessId, second, 'REMOVED', null, 'OWNER'));
  expect(errorCodes(await harness.graphql(second, `query ($id: ID!) { webhookEndpoint(id: $id) { id } }`, { id: endpoint.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await harness.graphql(null, CREATE, { input }))).toEqual(['UNAUTHENTICATED']);
  const types = await harness.graphql(null, '{ webhookEventTypes }');
  expect(types.body.data!.webhookEventTypes).toContain('payment_link.completed');
});

test('a payment makes one webhook event and one delivery per subscribed ENABLED endpoint, once however often it arrives', async () => {
  const [owner, payer] = [userId(), userId()];
  const payment = paymentEvent({ payer, merchant: owner, amountMinor: '8850' });
  const businessId = payment.payload.businessId;
  await harness.feed(registered(businessId, owner));
  const endpoint = async (eventTypes: string[]) => {
    const answer = await harness.graphql(owner, CREATE, { input: { businessId, url: 'http://127.0.0.1:9/hook', eventTypes } });
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data!.createWebhookEndpoint.endpoint.id as string;
  };
  const [paymentsEndpoint, bothEndpoint, payoutsEndpoint, disabledEndpoint] = [await endpoint(['payment.completed']), await endpoint(['payment.completed', 'payment_link.completed']), await endpoint(['payout.paid']), await endpoint(['payment.completed'])];
  await harness.store.webhookEndpoint.update({ where: { id: disabledEndpoint }, data: { status: 'DISABLED' } });

  await harness.feed(payment, payment);
  const events = await harness.store.webhookEvent.findMany({ where: { sourceEventId: payment.payload.paymentId } });
  expect(events).toHaveLength(1);
  expect(events[0]!.payload).toEqual({
    id: events[0]!.id,
    type: 'payment.completed',
    createdAt: payment.occurredAt,
    apiVersion: '2026-12-01',
    data: { id: payment.payload.paymentId, status: 'COMPLETED', source: 'PAYMENT_REQUEST', amount: { amount: '88.50', currencyCode: 'HKD' }, refundedAmount: { amount: '0.00', currencyCode: 'HKD' }, reference: null, completedAt: payment.payload.completedAt, businessId },
  });
  const deliveries = await harness.store.webhookDelivery.findMany({ where: { eventId: events[0]!.id } });
  expect(deliveries.map(({ endpointId }) => endpointId).sort()).toEqual([paymentsEndpoint, bothEndpoint].sort());
  // Not to an endpoint of other types, nor to a DISABLED one.
  expect(deliveries.map(({ endpointId }) => endpointId)).not.toEqual(expect.arrayContaining([payoutsEndpoint]));
  expect(deliveries.map(({ endpointId }) => endpointId)).not.toEqual(expect.arrayContaining([disabledEndpoint]));
  expect(deliveries.every(({ status, attempts, nextAttemptAt }) => status === 'PENDING' && attempts === 0 && nextAttemptAt !== null)).toBe(true);

  // A payment link's payment is also payment_link.completed (with the link's id), for those subscribed to it.
  const paymentId = newId('payment');
  const linkPayment = createEvent(paymentCompletedV2, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: { ...payment.payload, paymentId, source: 'PAYMENT_LINK', paymentRequestId: null, paymentLinkId: newId('paymentLink'), createdByUserId: null, reference: 'LINK-1', v1EventId: null },
  });
  await harness.feed(linkPayment);
  const linkEvents = (await harness.store.webhookEvent.findMany({ where: { sourceEventId: paymentId } })).sort((a, b) => (a.type < b.type ? -1 : 1));
  expect(linkEvents.map(({ type }) => type)).toEqual(['payment.completed', 'payment_link.completed']);
  expect((linkEvents[1]!.payload as { data: { paymentLinkId: string } }).data.paymentLinkId).toBe(linkPayment.payload.paymentLinkId);
  expect(await harness.store.webhookDelivery.count({ where: { eventId: linkEvents[1]!.id } })).toBe(1);
});
