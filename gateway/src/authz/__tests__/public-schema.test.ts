import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { apiSchemaOf } from '@harbour/schema';
import { publicSchemaOf, taggedCoordinates } from '../public-schema';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])';

function supergraphOf(...subgraphs: Array<[string, string]>): string {
  const result = composeServices(subgraphs.map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(`${link}\n${sdl}`) })));
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

const users = `
  type User @key(fields: "id") { id: ID! name: String! phone: String @tag(name: "staff") }
  type Query {
    me: User
    staffUser(id: ID!): User @tag(name: "staff")
    staffSearch(query: String!, mode: SearchMode @tag(name: "staff")): [SearchResult!]! @tag(name: "staff")
    "A public field with a staff-only argument."
    search(query: String!, deep: Boolean @tag(name: "staff")): [User!]!
  }
  enum SearchMode { FAST DEEP @tag(name: "staff") }
  union SearchResult = User | Shop
  type Shop @key(fields: "id") { id: ID! }
  type Mutation { freezeWallet(input: StaffActionInput!): User @tag(name: "staff") rename(name: String!): User }
  input StaffActionInput @tag(name: "staff") { subjectId: ID! reason: String! }
`;
const stats = `
  type Query { platformStats: PlatformStats @tag(name: "staff") }
  type PlatformStats @tag(name: "staff") { payments: Int! }
`;

describe('the public schema (console.md: staff fields are not advertised)', () => {
  const supergraph = supergraphOf(['users', users], ['stats', stats]);

  it('finds every tagged coordinate in the composed supergraph', () => {
    const tagged = taggedCoordinates(parse(supergraph), 'staff');
    expect([...tagged].sort()).toEqual(
      expect.arrayContaining(['Mutation.freezeWallet', 'PlatformStats', 'Query.platformStats', 'Query.staffSearch', 'Query.staffUser', 'StaffActionInput', 'User.phone', 'Query.search(deep:)']),
    );
  });

  it('drops tagged fields, types, arguments and the types only they reached', () => {
    const sdl = printSchema(publicSchemaOf(supergraph, apiSchemaOf(supergraph)));
    for (const name of ['staffUser', 'staffSearch', 'freezeWallet', 'platformStats', 'PlatformStats', 'StaffActionInput', 'SearchResult', 'SearchMode', 'phone', 'deep']) {
      expect(sdl).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    expect(sdl).toMatch(/me: User/);
    expect(sdl).toMatch(/rename\(name: String!\): User/);
    expect(sdl).toMatch(/search\(\s*query: String!\s*\): \[User!\]!/);
    // Shop was reached only through the staff union.
    expect(sdl).not.toMatch(/type Shop/);
  });

  it('keeps the full API schema for staff', () => {
    expect(printSchema(apiSchemaOf(supergraph))).toMatch(/staffUser\(id: ID!\): User/);
  });

  it('refuses a public field that needs a staff-only type', () => {
    const leaky = supergraphOf(['stats', `type Query { platformStats: PlatformStats @tag(name: "staff") publicStats: PlatformStats }\ntype PlatformStats @tag(name: "staff") { payments: Int! }`]);
    expect(() => publicSchemaOf(leaky, apiSchemaOf(leaky))).toThrow(/Query is public but uses PlatformStats/);
  });

  it('is the API schema itself when nothing is tagged', () => {
    const plain = supergraphOf(['users', 'type Query { me: String }']);
    const api = apiSchemaOf(plain);
    expect(publicSchemaOf(plain, api)).toBe(api);
  });
});
