import { newId } from '@harbour/server';
import { errorCodes, eventually, SocialHarness, type User } from './support/harness';

const harness = new SocialHarness();
beforeAll(() => harness.start());
afterAll(() => harness.stop());

const FRIENDS_PAGE = 'friends(first: $first, after: $after) { edges { cursor node { __typename id } } pageInfo { hasNextPage endCursor } }';
const PAGE_VARS = ', $first: Int, $after: String';

function friendsPage(caller: User, of: User, first: number | null, after: string | null = null) {
  return harness.userFields(caller, of, FRIENDS_PAGE, { first, after }, PAGE_VARS);
}

describe('addFriend', () => {
  it('is a request until the other adds back; then both are friends, with exactly one friendship.established', async () => {
    const [alice, bob] = [await harness.signUp('Alice'), await harness.signUp('Bob')];

    const request = await harness.addFriend(alice, bob);
    expect(request.body).toEqual({ data: { addFriend: { __typename: 'User', id: bob.id } } });
    expect(await harness.friendIds(alice)).toEqual([]);
    expect(await harness.friendIds(bob)).toEqual([]);
    expect(await harness.outboxFriendships()).toEqual([]);

    const accept = await harness.addFriend(bob, alice);
    expect(accept.body).toEqual({ data: { addFriend: { __typename: 'User', id: alice.id } } });
    expect(await harness.friendIds(alice)).toEqual([bob.id]);
    expect(await harness.friendIds(bob)).toEqual([alice.id]);

    const outbox = await harness.outboxFriendships();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toEqual({
      friendshipId: expect.stringMatching(/^frd_[0-9A-HJKMNP-TV-Z]{26}$/),
      requesterUserId: alice.id,
      requesterDisplayName: 'Alice',
      accepterUserId: bob.id,
      accepterDisplayName: 'Bob',
      establishedAt: expect.any(String),
    });
    expect(outbox[0]!.aggregateId).toBe(outbox[0]!.payload.friendshipId);

    // The relay, woken by the commit, puts it on the bus for notification and timeline.
    await eventually(async () => harness.published.some((event) => event.type === 'friendship.established' && event.aggregateId === outbox[0]!.aggregateId), 'friendship.established on the bus');
    const onBus = harness.published.find((event) => event.aggregateId === outbox[0]!.aggregateId)!;
    expect(onBus).toMatchObject({ source: 'social', aggregateType: 'friendship', version: 1, payload: outbox[0]!.payload });
  });

  it('is idempotent: adding again, by either side, changes nothing and writes no second event', async () => {
    const [carol, dan, erin] = [await harness.signUp('Carol'), await harness.signUp('Dan'), await harness.signUp('Erin')];
    // A request repeated stays a request.
    await harness.addFriend(carol, erin);
    expect((await harness.addFriend(carol, erin)).body).toEqual({ data: { addFriend: { __typename: 'User', id: erin.id } } });
    expect(await harness.store.friendLink.count({ where: { userId: carol.id, friendId: erin.id } })).toBe(1);

    await harness.addFriend(carol, dan);
    await harness.addFriend(dan, carol);
    const before = await harness.store.friendLink.findMany({ where: { userId: { in: [carol.id, dan.id] } }, orderBy: [{ userId: 'asc' }, { friendId: 'asc' }] });
    for (const [caller, other] of [[carol, dan], [dan, carol], [carol, dan]] as const) {
      expect((await harness.addFriend(caller, other)).body).toEqual({ data: { addFriend: { __typename: 'User', id: other.id } } });
    }
    const after = await harness.store.friendLink.findMany({ where: { userId: { in: [carol.id, dan.id] } }, orderBy: [{ userId: 'asc' }, { friendId: 'asc' }] });
    expect(after).toEqual(before);
    const involving = (await harness.outboxFriendships()).filter((row) => [carol.id, dan.id].includes(row.payload.accepterUserId));
    expect(involving).toHaveLength(1);
    expect(await harness.friendIds(carol)).toEqual([dan.id]);
  });

  it('two users adding each other at the same moment become friends once', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await harness.signUp('Quick A'), await harness.signUp('Quick B')];
      const answers = await Promise.all([harness.addFriend(a, b), harness.addFriend(b, a)]);
      expect(answers.map((answer) => answer.body.errors)).toEqual([undefined, undefined]);
      expect(await harness.friendIds(a)).toEqual([b.id]);
      expect(await harness.friendIds(b)).toEqual([a.id]);
      const events = (await harness.outboxFriendships()).filter((row) => [a.id, b.id].includes(row.payload.accepterUserId));
      expect(events).toHaveLength(1);
    }
  });

  it('refuses yourself (BAD_USER_INPUT), a user social never heard of (NOT_FOUND), and anonymous callers', async () => {
    const frank = await harness.signUp('Frank');
    const self = await harness.addFriend(frank, frank);
    expect(self.body.data).toEqual({ addFriend: null });
    expect(errorCodes(self)).toEqual(['BAD_USER_INPUT']);

    const unknown = await harness.addFriend(frank, { id: newId('user'), displayName: 'Nobody' });
    expect(unknown.body.data).toEqual({ addFriend: null });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);

    const anonymous = await harness.graphql({ kind: 'anonymous' }, 'mutation { addFriend(userId: "usr_x") { id } }');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const unsigned = await harness.graphql(null, 'mutation { addFriend(userId: "usr_x") { id } }');
    expect(unsigned.status).toBe(401);

    expect(await harness.store.friendLink.count({ where: { userId: frank.id } })).toBe(0);
  });
});

describe('User.friends', () => {
  it('lists mutual friends only, newest friendship first by (time, id), in pages with opaque cursors', async () => {
    const me = await harness.signUp('Me');
    const others: User[] = [];
    for (let i = 0; i < 5; i++) others.push(await harness.signUp(`Friend ${i}`));
    for (const other of others) {
      await harness.addFriend(me, other);
      await harness.addFriend(other, me);
    }
    // Pending both ways: requests are not friends.
    const asked = await harness.signUp('Asked');
    const asker = await harness.signUp('Asker');
    await harness.addFriend(me, asked);
    await harness.addFriend(asker, me);

    // Two friendships at the same millisecond: the id breaks the tie, across a page boundary too.
    const tie = new Date('2026-01-01T00:00:00.000Z');
    await harness.store.friendLink.updateMany({ where: { userId: me.id, friendId: { in: [others[1]!.id, others[2]!.id] } }, data: { establishedAt: tie } });
    const links = await harness.store.friendLink.findMany({ where: { userId: me.id, establishedAt: { not: null } } });
    const newestFirst = (x: (typeof links)[number], y: (typeof links)[number]) =>
      y.establishedAt!.getTime() - x.establishedAt!.getTime() || (y.friendId < x.friendId ? -1 : y.friendId > x.friendId ? 1 : 0);
    const order = [...links].sort(newestFirst).map((link) => link.friendId);
    expect([...order].sort()).toEqual(others.map((other) => other.id).sort());
    // The tied pair is the oldest: last, the greater id first (the page boundary falls between them: 2 + 2 + 1).
    expect(order.slice(-2)).toEqual([others[2]!.id, others[1]!.id].sort().reverse());

    const seen: string[] = [];
    let after: string | null = null;
    const pages: Array<{ ids: string[]; hasNextPage: boolean }> = [];
    do {
      const answer = await friendsPage(me, me, 2, after);
      expect(answer.body.errors).toBeUndefined();
      const connection = answer.body.data._entities[0].friends;
      for (const edge of connection.edges) {
        expect(edge.node.__typename).toBe('User');
        expect(edge.cursor).not.toContain(edge.node.id); // opaque
      }
      const ids = connection.edges.map((edge: { node: { id: string } }) => edge.node.id);
      seen.push(...ids);
      pages.push({ ids, hasNextPage: connection.pageInfo.hasNextPage });
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    expect(pages.map((page) => [page.ids.length, page.hasNextPage])).toEqual([[2, true], [2, true], [1, false]]);
    expect(seen).toEqual(order);
    expect(await harness.friendIds(me)).toEqual(order);
    expect(seen).not.toContain(asked.id);
    expect(seen).not.toContain(asker.id);

    // The default page size, and an empty list.
    const all = await harness.userFields(me, me, 'friends { edges { node { id } } pageInfo { hasNextPage endCursor } }');
    expect(all.body.data._entities[0].friends.edges).toHaveLength(5);
    const none = await harness.userFields(asked, asked, 'friends { edges { node { id } } pageInfo { hasNextPage endCursor } }');
    expect(none.body.data._entities[0].friends).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('takes first 1 to 100 and only its own cursors', async () => {
    const me = await harness.signUp('Strict');
    for (const first of [0, -1, 101]) {
      const answer = await friendsPage(me, me, first);
      expect(answer.body.data._entities[0].friends).toBeNull();
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await friendsPage(me, me, 100))).toEqual([]);
    for (const cursor of ['garbage', Buffer.from('not-a-date|usr_x').toString('base64url'), '']) {
      expect(errorCodes(await friendsPage(me, me, 10, cursor))).toEqual(['BAD_USER_INPUT']);
    }
  });

  it("answers only for the caller: another user's friends are null with FORBIDDEN", async () => {
    const [gina, hugo] = [await harness.signUp('Gina'), await harness.signUp('Hugo')];
    await harness.addFriend(gina, hugo);
    await harness.addFriend(hugo, gina);
    const answer = await harness.userFields(gina, hugo, 'id friends(first: 10) { edges { node { id } } } recommendedBusinesses(first: 5) { id }');
    expect(answer.body.data._entities[0]).toEqual({ id: hugo.id, friends: null, recommendedBusinesses: null });
    expect(errorCodes(answer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const anonymous = await harness.graphql({ kind: 'anonymous' }, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { friends { edges { node { id } } } } } }', { r: [{ __typename: 'User', id: hugo.id }] });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});
