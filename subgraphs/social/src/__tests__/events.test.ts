import { businessRegistered, createEvent } from '@harbour/events';
import { newId } from '@harbour/server';
import { daysAgo, newBusiness, paid, signedUp, SocialHarness } from './support/harness';

const harness = new SocialHarness();
beforeAll(() => harness.start());
afterAll(() => harness.stop());

describe('the social consumer', () => {
  it('keeps each signed-up user once, however often the event is delivered', async () => {
    const user = { id: newId('user'), displayName: 'Mei Ling' };
    const event = signedUp(user);
    await harness.deliver(event, event, event);
    expect(await harness.store.user.findMany({ where: { userId: user.id } })).toEqual([
      { userId: user.id, displayName: 'Mei Ling', signedUpAt: new Date((event.payload as { signedUpAt: string }).signedUpAt) },
    ]);
    expect(await harness.store.processedEvent.count({ where: { eventId: event.id } })).toBe(1);
  });

  it('keeps one row per (business, payer): first and latest time, a count, the latest name; duplicates applied once', async () => {
    const payer = await harness.signUp('Payer');
    const business = newBusiness('Tea House');
    const first = paid(payer, business, daysAgo(10));
    await harness.deliver(first, first);
    const row = () => harness.store.businessPayer.findUnique({ where: { businessId_payerUserId: { businessId: business.id, payerUserId: payer.id } } });
    expect(await row()).toMatchObject({ businessName: 'Tea House', paymentCount: 1, firstPaidAt: new Date(first.occurredAt), lastPaidAt: new Date(first.occurredAt) });

    const latest = paid(payer, { ...business, name: 'Tea House II' }, daysAgo(2));
    const older = paid(payer, { ...business, name: 'Old Name' }, daysAgo(20)); // delivered late, out of order
    await harness.deliver(latest, older, latest);
    expect(await row()).toMatchObject({
      businessName: 'Tea House II',
      paymentCount: 3,
      firstPaidAt: new Date(older.occurredAt),
      lastPaidAt: new Date(latest.occurredAt),
    });
    // Never amounts.
    expect(Object.keys((await row())!).sort()).toEqual(['businessId', 'businessName', 'firstPaidAt', 'lastPaidAt', 'payerUserId', 'paymentCount']);
  });

  it('acknowledges the events it does not use without keeping anything', async () => {
    const businessId = newId('business');
    const other = createEvent(businessRegistered, {
      source: 'business',
      aggregateType: 'business',
      aggregateId: businessId,
      payload: { businessId, name: 'Noodles', city: 'Hong Kong', merchantCategoryCode: null, ownerUserId: newId('user'), registeredAt: new Date().toISOString() },
    });
    await harness.deliver(other);
    expect(await harness.store.businessPayer.count({ where: { businessId } })).toBe(0);
    expect(await harness.bus.deadLetters()).toEqual([]);
  });
});
