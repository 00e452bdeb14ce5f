import { ApolloServer, HeaderMap } from '@apollo/server';
import { illFormedInputName, wellFormedInputPlugin } from '../well-formed-input';

describe('illFormedInputName', () => {
  it('is undefined when every string is well-formed, emoji included', () => {
    expect(illFormedInputName({ input: { name: 'Caf\u00e9 \u{1F600}', tags: ['a', 'b'], count: 3, none: null }, id: 'x' })).toBeUndefined();
  });

  it.each([
    ['a top-level variable', { payload: 'hi\ud800' }, 'payload'],
    ['an input field', { input: { name: 'fine', city: 'hi\udc00' } }, 'city'],
    ['a nested input field', { input: { address: { street: '\ud800' } } }, 'street'],
    ['a list element of an input field', { input: { ids: ['ok', 'x\ud800'] } }, 'ids'],
    ['a list element of a variable', { ids: ['x\ud800'] }, 'ids'],
  ])('names the input holding a lone surrogate: %s', (_label, variables, field) => {
    expect(illFormedInputName(variables)).toBe(field);
  });

  it('walks JSON nested deeper than the call stack', () => {
    let deep: unknown = 'x\ud800';
    for (let depth = 0; depth < 100_000; depth++) deep = [deep];
    expect(illFormedInputName({ deep })).toBe('deep');
  });
});

describe('wellFormedInputPlugin', () => {
  const resolved: string[] = [];
  const query = 'query ($text: String!) { echo(text: $text) }';
  const server = new ApolloServer({
    typeDefs: 'type Query { echo(text: String!): String! }',
    resolvers: {
      Query: {
        echo: (_root: unknown, { text }: { text: string }) => {
          resolved.push(text);
          return text;
        },
      },
    },
    plugins: [wellFormedInputPlugin()],
  });

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => (resolved.length = 0));

  it('refuses a variable with a lone surrogate before execution: HTTP 400, BAD_USER_INPUT naming it', async () => {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query, variables: { text: 'hi\ud800' } },
      },
      context: async () => ({}),
    });
    expect(response.status).toBe(400);
    expect(response.body.kind === 'complete' && JSON.parse(response.body.string)).toEqual({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'text' }) })],
    });
    expect(resolved).toEqual([]);
  });

  it('lets well-formed text through', async () => {
    const response = await server.executeOperation({ query, variables: { text: 'Caf\u00e9 \u{1F600}' } });
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeUndefined();
    expect(resolved).toEqual(['Caf\u00e9 \u{1F600}']);
  });

  it('leaves string literals to the parser, which refuses a lone surrogate itself', async () => {
    const response = await server.executeOperation({ query: '{ echo(text: "hi\ud800") }' });
    expect(response.body.kind === 'single' && response.body.singleResult.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
