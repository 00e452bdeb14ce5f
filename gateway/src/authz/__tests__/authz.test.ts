import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { apiSchemaOf, SUPERGRAPH_PATH } from '@harbour/schema';
import { buildSchema, execute, Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { authorizingExecutor, authorizingGateway, callerOf, combine, findDenials, readAccessRules, withoutEnforcedSecurityMarkers, type Caller } from '..';

const SDL = `
  schema
    @link(url: "https://specs.apollo.dev/link/v1.0")
    @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
    @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scoped", for: SECURITY)
  { query: Query }
  directive @link(url: String, as: String, for: link__Purpose, import: [String]) repeatable on SCHEMA
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @scoped(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  enum link__Purpose { SECURITY EXECUTION }

  type Query {
    shop(id: ID!): Shop
    shops: [Shop!]!
    me: User @authenticated
    health: Health @scoped(scopes: [["ops:read"], ["ops:admin", "audit"]])
    node: Node
  }
  type Shop { id: ID! name: String! takings: Int @authenticated secretNonNull: String! @scoped(scopes: [["ops:read"]]) audit: Audit }
  type Audit @scoped(scopes: [["audit"]]) { id: ID! }
  type User { id: ID! phone: String }
  type Health { ok: Boolean! }
  interface Node { id: ID! owner: String }
  type Till implements Node { id: ID! owner: String @authenticated }
  type Kiosk implements Node { id: ID! owner: String }
`;
const schema = buildSchema(SDL);
const rules = readAccessRules(SDL);
const anonymous: Caller = { authenticated: false, scopes: new Set() };
const user = (...scopes: string[]): Caller => ({ authenticated: true, scopes: new Set(scopes) });

const shops = [
  { id: 's1', name: 'Noodles', takings: 10, secretNonNull: 'x', audit: { id: 'a1' } },
  { id: 's2', name: 'Tea', takings: 20, secretNonNull: 'y', audit: { id: 'a2' } },
];
const root = {
  shop: ({ id }: { id: string }) => shops.find((shop) => shop.id === id),
  shops,
  me: { id: 'u1', phone: '+85291234567' },
  health: { ok: true },
  node: { __typename: 'Till', id: 't1', owner: 'Ada' },
};

/** The gateway's executor, in process: runs what it is given against the schema, and records it. */
function inProcessGateway() {
  const seen: Array<{ source: string; queryHash: string }> = [];
  const executor: GatewayExecutor = async (requestContext) => {
    seen.push({ source: print(requestContext.document), queryHash: requestContext.queryHash });
    return (await execute({
      schema,
      document: requestContext.document,
      rootValue: root,
      variableValues: requestContext.request.variables,
      operationName: requestContext.operationName ?? undefined,
      typeResolver: (value) => (value as { __typename: string }).__typename,
    })) as never;
  };
  return { executor, seen };
}

function contextFor(query: string, caller: Caller, variables?: Record<string, unknown>): GatewayGraphQLRequestContext {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return {
    request: { query, variables },
    document,
    source: query,
    operation,
    operationName: operation.name?.value ?? null,
    queryHash: `hash-of:${query}`,
    schema,
    context: { caller },
  } as unknown as GatewayGraphQLRequestContext;
}

async function run(query: string, caller: Caller, options: { introspection?: 'open' | 'scoped'; variables?: Record<string, unknown> } = {}) {
  const gateway = inProcessGateway();
  const authorized = authorizingExecutor(gateway.executor, {
    rules,
    introspection: options.introspection === 'scoped' ? { open: false, scope: 'schema:introspect' } : { open: true },
    callerOf: (context) => (context as { caller: Caller }).caller,
  });
  const result = await authorized(contextFor(query, caller, options.variables));
  const errors = (result.errors ?? []).map((error) => [error.path?.join('.') ?? '', error.extensions?.code]);
  return { result, errors, seen: gateway.seen };
}

describe('reading the directives from the composed supergraph', () => {
  it('reads field rules, type rules (on fields of the type and fields returning it) and a renamed directive', () => {
    expect(rules.field('Query', 'me', 'User')).toEqual({ authenticated: true, scopes: [] });
    expect(rules.field('Query', 'health', 'Health')).toEqual({ authenticated: false, scopes: [['ops:read'], ['ops:admin', 'audit']] });
    expect(rules.field('Shop', 'audit', 'Audit')).toEqual({ authenticated: false, scopes: [['audit']] });
    expect(rules.field('Audit', 'id', 'ID')).toEqual({ authenticated: false, scopes: [['audit']] });
    expect(rules.field('Shop', 'name', 'String')).toBeUndefined();
    expect(rules.empty).toBe(false);
  });

  it('combines requirements: scopes multiply out, authenticated is kept', () => {
    expect(combine({ authenticated: true, scopes: [['a'], ['b']] }, { authenticated: false, scopes: [['c']] })).toEqual({ authenticated: true, scopes: [['a', 'c'], ['b', 'c']] });
    expect(combine(undefined, { authenticated: true, scopes: [] })).toEqual({ authenticated: true, scopes: [] });
  });

  it("the real supergraph: @apollo/gateway's loader refuses it as composed, accepts the copy, and the copy still says who may see what", () => {
    const composed = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
    expect(() => Supergraph.build(composed)).toThrow(/is for: SECURITY but is unsupported/);
    const copy = withoutEnforcedSecurityMarkers(composed);
    expect(copy).not.toMatch(/for: SECURITY/);
    expect(() => Supergraph.build(copy)).not.toThrow();
    const real = readAccessRules(composed);
    expect(real.field('Query', 'ledgerHealth', 'LedgerHealth')).toEqual({ authenticated: false, scopes: [['ledger:audit']] });
    expect(real.field('Query', 'me', 'User')).toEqual({ authenticated: true, scopes: [] });
    expect(real.field('Business', 'name', 'String')).toBeUndefined();
  });

  it('a SECURITY feature Harbour does not enforce keeps its marker, so the gateway still refuses to load it', () => {
    const sdl = `schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY) { query: Query } type Query { a: Int }`;
    expect(withoutEnforcedSecurityMarkers(sdl)).toMatch(/policy\/v0\.1", for: SECURITY/);
  });

  it('every contract operation runs for a signed-in user with nothing denied; anonymous, only SignUp, LogIn and RefreshSession do', () => {
    const composed = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
    const api = apiSchemaOf(composed);
    const real = readAccessRules(composed);
    const contract = parse(fs.readFileSync(path.resolve(__dirname, '../../../../tests/contract/operations.graphql'), 'utf8'));
    const fragments = contract.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    const operations = contract.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const open: string[] = [];
    for (const operation of operations) {
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
      expect(findDenials(api, document, real, user()).size).toBe(0);
      if (findDenials(api, document, real, anonymous).size === 0) open.push(operation.name!.value);
    }
    expect(open.sort()).toEqual(['LogIn', 'RefreshSession', 'SignUp']);
  });
});

describe('enforcing them before the gateway plans', () => {
  it('a field behind @requiresScopes without the scope is null with FORBIDDEN; the rest of the answer comes, and the gateway never saw the field', async () => {
    const { result, errors, seen } = await run('{ health { ok } shops { name } }', user());
    expect(result.data).toEqual({ health: null, shops: [{ name: 'Noodles' }, { name: 'Tea' }] });
    expect(errors).toEqual([['health', 'FORBIDDEN']]);
    expect(seen[0]!.source).not.toMatch(/health/);
  });

  it('with the scope (either alternative) the field is answered, and the operation goes to the gateway unchanged', async () => {
    for (const scopes of [['ops:read'], ['ops:admin', 'audit']]) {
      const { result, seen } = await run('{ health { ok } }', user(...scopes));
      expect(result).toEqual({ data: { health: { ok: true } } });
      expect(seen[0]!.queryHash).toBe('hash-of:{ health { ok } }');
    }
    // One scope of a pair is not enough.
    expect((await run('{ health { ok } }', user('ops:admin'))).errors).toEqual([['health', 'FORBIDDEN']]);
  });

  it('an @authenticated field asked anonymously is UNAUTHENTICATED at each path, list indices included', async () => {
    const { result, errors } = await run('{ shops { name takings } me { id } }', anonymous);
    expect(result.data).toEqual({ shops: [{ name: 'Noodles', takings: null }, { name: 'Tea', takings: null }], me: null });
    expect(errors.sort()).toEqual([
      ['me', 'UNAUTHENTICATED'],
      ['shops.0.takings', 'UNAUTHENTICATED'],
      ['shops.1.takings', 'UNAUTHENTICATED'],
    ]);
  });

  it('a denied non-null field nulls its nearest nullable parent, as GraphQL says', async () => {
    const { result, errors } = await run('{ shop(id: "s1") { name secretNonNull } shops { id } }', user());
    expect(result.data).toEqual({ shop: null, shops: [{ id: 's1' }, { id: 's2' }] });
    expect(errors).toEqual([['shop.secretNonNull', 'FORBIDDEN']]);
  });

  it('an operation of denied fields only never reaches the gateway', async () => {
    const { result, errors, seen } = await run('{ me { id } health { ok } }', anonymous);
    expect(result.data).toEqual({ me: null, health: null });
    expect(errors.sort()).toEqual([
      ['health', 'UNAUTHENTICATED'],
      ['me', 'UNAUTHENTICATED'],
    ]);
    expect(seen).toEqual([]);
  });

  it('a selection emptied by a denial still runs (placeholder), and a type rule guards fields returning the type', async () => {
    const { result, errors, seen } = await run('query Q($id: ID!) { shop(id: $id) { audit { id } } }', user(), { variables: { id: 's2' } });
    expect(result.data).toEqual({ shop: { audit: null } });
    expect(errors).toEqual([['shop.audit', 'FORBIDDEN']]);
    expect(seen[0]!.source).toMatch(/shop\(id: \$id\) \{\s+__typename\s+\}/);
  });

  it('rules hold inside fragments and through an interface (the strictest implementation wins)', async () => {
    const { result, errors } = await run('{ node { id ...N } } fragment N on Node { owner }', anonymous);
    expect(result.data).toEqual({ node: { id: 't1', owner: null } });
    expect(errors).toEqual([['node.owner', 'UNAUTHENTICATED']]);
    expect((await run('{ node { id ... on Till { owner } } }', user())).result.data).toEqual({ node: { id: 't1', owner: 'Ada' } });
  });

  it('the rewritten operation gets its own query hash, different per rights, so no cached plan is shared across callers', async () => {
    const query = '{ shops { takings } health { ok } }';
    const anonymousRun = await run(query, anonymous);
    const userRun = await run(query, user());
    const opsRun = await run(query, user('ops:read'));
    const hashes = [anonymousRun.seen, userRun.seen, opsRun.seen].map((seen) => seen[0]?.queryHash);
    expect(hashes[0]).toBeDefined();
    expect(new Set(hashes).size).toBe(3);
    expect(hashes[2]).toBe(`hash-of:${query}`);
  });

  it('one parsed document (as Apollo Server reuses it) asked by callers with different rights in turn gets each its own verdict, every time', async () => {
    const gateway = inProcessGateway();
    const authorized = authorizingExecutor(gateway.executor, {
      rules,
      introspection: { open: false, scope: 'schema:introspect' },
      callerOf: (context) => (context as { caller: Caller }).caller,
    });
    const query = '{ shops { name takings } health { ok } }';
    const shared = contextFor(query, anonymous);
    const ask = async (caller: Caller) => {
      const result = await authorized({ ...shared, context: { caller } } as unknown as GatewayGraphQLRequestContext);
      return { data: result.data, codes: (result.errors ?? []).map((error) => `${error.path?.join('.')}:${error.extensions?.code}`) };
    };
    const expected = {
      anonymous: { data: { shops: [{ name: 'Noodles', takings: null }, { name: 'Tea', takings: null }], health: null }, codes: ['shops.0.takings:UNAUTHENTICATED', 'shops.1.takings:UNAUTHENTICATED', 'health:UNAUTHENTICATED'] },
      user: { data: { shops: [{ name: 'Noodles', takings: 10 }, { name: 'Tea', takings: 20 }], health: null }, codes: ['health:FORBIDDEN'] },
      ops: { data: { shops: [{ name: 'Noodles', takings: 10 }, { name: 'Tea', takings: 20 }], health: { ok: true } }, codes: [] },
    };
    for (let round = 0; round < 2; round++) {
      expect(await ask(anonymous)).toEqual(expected.anonymous);
      expect(await ask(user())).toEqual(expected.user);
      expect(await ask(user('ops:read'))).toEqual(expected.ops);
      expect(await ask(user('audit'))).toEqual(expected.user);
    }
    // The unchanged operation keeps its hash; each rewrite has its own, the same every time it is asked.
    const hashes = gateway.seen.map((seen) => seen.queryHash);
    expect(hashes.slice(0, 4)).toEqual(hashes.slice(4, 8));
    expect(new Set(hashes).size).toBe(3);
    expect(hashes[2]).toBe(`hash-of:${query}`);
  });

  it('introspection, where closed, needs its scope; __typename never does', async () => {
    const closed = await run('{ __schema { queryType { name } } }', user(), { introspection: 'scoped' });
    expect(closed.result.data).toBeUndefined();
    expect(closed.errors).toEqual([['', 'FORBIDDEN']]);
    expect((await run('{ __type(name: "Shop") { name } }', anonymous, { introspection: 'scoped' })).errors).toEqual([['', 'UNAUTHENTICATED']]);
    expect((await run('{ __typename }', anonymous, { introspection: 'scoped' })).result).toEqual({ data: { __typename: 'Query' } });
    const allowed = await run('{ __schema { queryType { name } } }', user('schema:introspect'), { introspection: 'scoped' });
    expect(allowed.result).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await run('{ __schema { queryType { name } } }', anonymous)).result.errors).toBeUndefined();
  });

  it('the caller comes from the request context: a user identity is authenticated, its token scopes are its scopes', () => {
    expect(callerOf({ identity: { kind: 'anonymous' } })).toEqual({ authenticated: false, scopes: new Set() });
    expect(callerOf({ identity: { kind: 'user', userId: 'u', sessionId: 's' }, scopes: ['a'] })).toEqual({ authenticated: true, scopes: new Set(['a']) });
  });
});

describe('inside Apollo Server, with the real supergraph', () => {
  it('denied fields get their errors although Apollo Server wraps every schema field with its own resolver', async () => {
    const composed = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
    const gateway = new ApolloGateway({ supergraphSdl: withoutEnforcedSecurityMarkers(composed) });
    const apollo = new ApolloServer({ gateway: authorizingGateway(gateway, { rules: readAccessRules(composed), introspection: { open: true }, callerOf }) });
    await apollo.start();
    try {
      // Denied fields only: answered without a subgraph (none runs in this test).
      const response = await apollo.executeOperation({ query: '{ me { id } ledgerHealth { healthy } }' }, { contextValue: { identity: { kind: 'anonymous' } } });
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      expect(result?.data).toEqual({ me: null, ledgerHealth: null });
      expect(result?.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.message])).toEqual([
        ['me', 'UNAUTHENTICATED', 'Query.me needs a signed-in caller.'],
        ['ledgerHealth', 'UNAUTHENTICATED', 'Query.ledgerHealth needs a signed-in caller with the scope ledger:audit.'],
      ]);
    } finally {
      await apollo.stop();
    }
  });
});
