import { daysAgo, errorCodes, newBusiness, paid, SocialHarness, type User } from './support/harness';

const harness = new SocialHarness();
beforeAll(() => harness.start());
afterAll(() => harness.stop());

async function befriend(a: User, b: User): Promise<void> {
  await harness.addFriend(a, b);
  await harness.addFriend(b, a);
}

async function recommended(caller: User, first: number | null = 20) {
  const answer = await harness.userFields(caller, caller, 'recommendedBusinesses(first: $first) { __typename id }', { first }, ', $first: Int');
  return answer;
}

async function recommendedIds(caller: User, first: number | null = 20): Promise<string[]> {
  const answer = await recommended(caller, first);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data._entities[0].recommendedBusinesses.map((business: { __typename: string; id: string }) => {
    expect(business.__typename).toBe('Business');
    return business.id;
  });
}

describe('User.recommendedBusinesses', () => {
  it('ranks businesses at least two friends paid in the last 30 days that the caller never paid: by friends, then most recent', async () => {
    const me = await harness.signUp('Me');
    const [f1, f2, f3] = [await harness.signUp('F1'), await harness.signUp('F2'), await harness.signUp('F3')];
    for (const friend of [f1, f2, f3]) await befriend(me, friend);
    const requested = await harness.signUp('Only asked'); // a request, not a friend
    await harness.addFriend(me, requested);
    const follower = await harness.signUp('Only asking'); // asked me; not a friend either
    await harness.addFriend(follower, me);
    const stranger = await harness.signUp('Stranger');

    const one = newBusiness('One Friend');
    const two = newBusiness('Two Friends');
    const three = newBusiness('Three Friends');
    const newer = newBusiness('Two Newer');
    const mine = newBusiness('I Paid Long Ago');
    const stale = newBusiness('Stale');
    const halfStale = newBusiness('Half Stale');
    const notFriends = newBusiness('Not Friends');
    const repeat = newBusiness('One Friend Often');

    await harness.deliver(
      paid(f1, one, daysAgo(1)),
      paid(f1, two, daysAgo(5)),
      paid(f2, two, daysAgo(4)),
      paid(f1, three, daysAgo(20)),
      paid(f2, three, daysAgo(21)),
      paid(f3, three, daysAgo(22)),
      paid(f2, newer, daysAgo(2)),
      paid(f3, newer, daysAgo(3)),
      paid(f1, mine, daysAgo(1)),
      paid(f2, mine, daysAgo(1)),
      paid(me, mine, daysAgo(200)),
      paid(f1, stale, daysAgo(31)),
      paid(f2, stale, daysAgo(45)),
      paid(f1, halfStale, daysAgo(1)),
      paid(f2, halfStale, daysAgo(31)),
      paid(f1, notFriends, daysAgo(1)),
      paid(requested, notFriends, daysAgo(1)),
      paid(follower, notFriends, daysAgo(1)),
      paid(stranger, notFriends, daysAgo(1)),
      paid(f1, repeat, daysAgo(1)),
      paid(f1, repeat, daysAgo(2)),
      paid(f1, repeat, daysAgo(3)),
    );

    // three: 3 friends; then the two-friend ones, most recent payment first (newer: 2 days, two: 4 days).
    expect(await recommendedIds(me)).toEqual([three.id, newer.id, two.id]);
    expect(await recommendedIds(me, 1)).toEqual([three.id]);
    // The default is 5.
    const byDefault = await harness.userFields(me, me, 'recommendedBusinesses { id }');
    expect(byDefault.body.data._entities[0].recommendedBusinesses).toHaveLength(3);

    // Once the caller pays there, it is no longer recommended; a second friend paying makes one.
    await harness.deliver(paid(me, newer, daysAgo(0)), paid(f2, one, daysAgo(0)));
    expect(await recommendedIds(me)).toEqual([three.id, one.id, two.id]);

    // Friends' own recommendations come from their friends, not the caller's.
    expect(await recommendedIds(f1)).toEqual([]);
  });

  it('says nothing to a caller without friends, and nothing about who paid or how much', async () => {
    const loner = await harness.signUp('Loner');
    expect(await recommendedIds(loner)).toEqual([]);
    const answer = await harness.userFields(loner, loner, 'recommendedBusinesses(first: 5) { id }');
    expect(answer.body.data._entities[0]).toEqual({ recommendedBusinesses: [] });
  });

  it('takes first 1 to 20 and answers only for the caller', async () => {
    const [me, other] = [await harness.signUp('Me'), await harness.signUp('Other')];
    for (const first of [0, -3, 21]) {
      const answer = await recommended(me, first);
      expect(answer.body.data._entities[0].recommendedBusinesses).toBeNull();
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await recommended(me, 20))).toEqual([]);
    const forbidden = await harness.userFields(me, other, 'recommendedBusinesses(first: 5) { id }');
    expect(forbidden.body.data._entities[0]).toEqual({ recommendedBusinesses: null });
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
  });
});
