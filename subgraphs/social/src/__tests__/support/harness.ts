/**
 * The social subgraph in process over a fresh, migrated MariaDB database (a
 * name no other run uses, dropped afterwards), its consumer and outbox relays
 * on an InMemoryBus, queried over HTTP with identities signed as the gateway
 * signs them.
 */
import { randomBytes } from 'node:crypto';
import {
  businessRegistered,
  createEvent,
  InMemoryBus,
  paymentCompleted,
  parseEvent,
  userSignedUp,
  type DomainEvent,
  type KnownEvent,
} from '@harbour/events';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@harbour/identity';
import { createLogger } from '@harbour/logger';
import { MYSQL_URL, uniqueRunId } from '@harbour/testing';
import { migrate } from '@harbour/prisma';
import { createSocialStore, type SocialStore } from '@harbour/prisma/social';
import { newId } from '@harbour/server';
import { buildSocialSubgraph } from '../../build';
import { SOCIAL_CONSUMER_GROUP, startSocialEvents, type SocialEvents } from '../../events/start';

const DAY_MS = 24 * 60 * 60 * 1000;

export const testLogger = createLogger('social-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export interface GraphQLAnswer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }> };
}

export interface User {
  id: string;
  displayName: string;
}

export class SocialHarness {
  readonly bus = new InMemoryBus({ logger: testLogger });
  /** Every event the bus carried, as another subgraph's consumer group sees it. */
  readonly published: KnownEvent[] = [];
  store!: SocialStore;
  private database = '';
  private events?: SocialEvents;
  private server?: ReturnType<typeof buildSocialSubgraph>;
  private url = '';
  private readonly secret = new TextEncoder().encode(randomBytes(48).toString('base64url'));

  async start(): Promise<void> {
    this.database = `hbt_${uniqueRunId()}_social`;
    const url = new URL(MYSQL_URL);
    url.pathname = `/${this.database}`;
    await migrate('social', url.toString(), { logger: { info: () => undefined, warn: () => undefined } });
    this.store = createSocialStore(url.toString());
    this.bus.subscribe('observer', 'test', async (event) => {
      const parsed = parseEvent(event);
      if (parsed.kind === 'known') this.published.push(parsed.event);
    });
    this.events = startSocialEvents({ store: this.store, logger: testLogger, bus: this.bus });
    this.server = buildSocialSubgraph({ store: this.store, identitySecret: this.secret, logger: testLogger, eventsWritten: this.events.eventsWritten });
    const port = await this.server.start(0, '127.0.0.1');
    this.url = `http://127.0.0.1:${port}/graphql`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.events?.stop();
    await this.bus.close();
    if (this.store) {
      await this.store.$executeRawUnsafe(`DROP DATABASE IF EXISTS \`${this.database}\``);
      await this.store.$disconnect();
    }
  }

  /** Publishes events as their producers' relays would, and waits until social's consumer has handled all of them. */
  async deliver(...events: DomainEvent[]): Promise<void> {
    // One consumer reads the group in order: once a fresh marker after them is recorded, every copy before it was handled.
    const marker = markerEvent();
    await this.bus.publish([...events, marker]);
    await eventually(async () => (await this.store.processedEvent.count({ where: { consumer: SOCIAL_CONSUMER_GROUP, eventId: marker.id } })) === 1, `event ${marker.id} applied`);
  }

  /** A user who signed up (user.signed_up delivered to social). */
  async signUp(displayName = 'Someone'): Promise<User> {
    const user = { id: newId('user'), displayName };
    await this.deliver(signedUp(user));
    return user;
  }

  async graphql(identity: Identity | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (identity) headers[IDENTITY_HEADER] = await signIdentity(identity, this.secret, 'gateway');
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as GraphQLAnswer['body'] };
  }

  /** A query as the signed-in `user`. */
  as(user: User, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
    return this.graphql({ kind: 'user', userId: user.id, sessionId: newId('session') }, query, variables);
  }

  async addFriend(caller: User, friend: User): Promise<GraphQLAnswer> {
    return this.as(caller, 'mutation AddFriend($userId: ID!) { addFriend(userId: $userId) { __typename id } }', { userId: friend.id });
  }

  /** `of`'s User fields as `caller` asks for them, through `_entities` as the gateway's query plan does. */
  userFields(caller: User, of: User | string, selection: string, variables: Record<string, unknown> = {}, declarations = ''): Promise<GraphQLAnswer> {
    const id = typeof of === 'string' ? of : of.id;
    const query = `query Fields($representations: [_Any!]!${declarations}) { _entities(representations: $representations) { ... on User { ${selection} } } }`;
    return this.as(caller, query, { representations: [{ __typename: 'User', id }], ...variables });
  }

  /** The ids of `user`'s friends, every page of `pageSize`. */
  async friendIds(user: User, pageSize = 100): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await this.userFields(user, user, 'friends(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }', { first: pageSize, after }, ', $first: Int, $after: String');
      expect(answer.body.errors).toBeUndefined();
      const connection = answer.body.data._entities[0].friends;
      ids.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) return ids;
      after = connection.pageInfo.endCursor;
    }
  }

  /** friendship.established rows in social's outbox. */
  async outboxFriendships(): Promise<Array<{ aggregateId: string; payload: any }>> {
    const rows = await this.store.outboxEvent.findMany({ where: { type: 'friendship.established' }, orderBy: { sequence: 'asc' } });
    return rows.map((row) => ({ aggregateId: row.aggregateId, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload }));
  }
}

/** An event social ignores (a business registered): it only marks a place in the stream. */
function markerEvent(): DomainEvent {
  const businessId = newId('business');
  return createEvent(businessRegistered, {
    source: 'business',
    aggregateType: 'business',
    aggregateId: businessId,
    payload: { businessId, name: 'Marker', city: 'Hong Kong', merchantCategoryCode: null, ownerUserId: newId('user'), registeredAt: new Date().toISOString() },
  });
}

export function signedUp(user: User): DomainEvent {
  return createEvent(userSignedUp, {
    source: 'user',
    aggregateType: 'user',
    aggregateId: user.id,
    payload: { userId: user.id, displayName: user.displayName, signedUpAt: new Date().toISOString() },
  });
}

export function daysAgo(days: number, from = new Date()): Date {
  return new Date(from.getTime() - days * DAY_MS);
}

/** payment.completed: `payer` paid `business` at `at`. */
export function paid(payer: User, business: { id: string; name: string }, at: Date, amountMinor = '1250'): DomainEvent {
  const paymentId = newId('payment');
  return createEvent(paymentCompleted, {
    source: 'payment',
    aggregateType: 'payment',
    aggregateId: paymentId,
    payload: {
      paymentId,
      paymentRequestId: newId('paymentRequest'),
      businessId: business.id,
      businessName: business.name,
      payerUserId: payer.id,
      payerDisplayName: payer.displayName,
      merchantUserId: newId('user'),
      amountMinor,
      currency: 'HKD',
      reference: null,
      completedAt: at.toISOString(),
    },
    occurredAt: at,
  });
}

export function newBusiness(name: string): { id: string; name: string } {
  return { id: newId('business'), name };
}

export function errorCodes(answer: GraphQLAnswer): Array<string | undefined> {
  return (answer.body.errors ?? []).map((error) => error.extensions?.code);
}

export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
