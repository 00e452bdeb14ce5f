import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { createGatewayMetrics, CountingPlanCache, metricsPlugin, type GatewayMetrics } from '..';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello(name: String!): String!, forbidden: String }
`);
const resolvers = {
  Query: {
    hello: (_: unknown, { name }: { name: string }) => `Hello, ${name}`,
    forbidden: () => {
      throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
    },
  },
};

let metrics: GatewayMetrics;
let server: ApolloServer;

/** Posts one operation as HTTP clients do; `refuseContext` makes building the context fail as a bad token does. */
async function post(query: string, refuseContext = false) {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
    context: async () => {
      if (refuseContext) throw new GraphQLError('Bad token.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      return {};
    },
  });
  return response.status ?? 200;
}

async function valueOf(metric: { get(): Promise<{ values: Array<{ labels: Record<string, unknown>; value: number; metricName?: string }> }> }, labels: Record<string, string>, metricName?: string) {
  const { values } = await metric.get();
  const found = values.find((entry) => (!metricName || entry.metricName === metricName) && Object.entries(labels).every(([key, value]) => entry.labels[key] === value));
  return found?.value ?? 0;
}

beforeEach(async () => {
  const composed = composeServices([{ name: 'greetings', url: 'http://greetings.invalid/graphql', typeDefs }]);
  if (composed.errors) throw composed.errors[0];
  metrics = createGatewayMetrics({ defaultMetrics: false });
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: () => new LocalGraphQLDataSource(buildSubgraphSchema([{ typeDefs, resolvers }])),
    queryPlannerConfig: { cache: new CountingPlanCache(metrics) },
  });
  server = new ApolloServer({ gateway, plugins: [metricsPlugin(metrics)] });
  await server.start();
});

afterEach(() => server.stop());

it('plans an operation once: the first run is a plan cache miss, the same operation again a hit', async () => {
  await post('query Hello { hello(name: "Mei") }');
  expect(await valueOf(metrics.queryPlanCache, { result: 'miss' })).toBe(1);
  expect(await valueOf(metrics.queryPlanCache, { result: 'hit' })).toBe(0);

  await post('query Hello { hello(name: "Mei") }');
  expect(await valueOf(metrics.queryPlanCache, { result: 'miss' })).toBe(1);
  expect(await valueOf(metrics.queryPlanCache, { result: 'hit' })).toBe(1);

  await post('query Other { hello(name: "Ka") }');
  expect(await valueOf(metrics.queryPlanCache, { result: 'miss' })).toBe(2);
});

it('counts requests and their latency per operation name and type; unnamed ones as (anonymous)', async () => {
  await post('query Hello { hello(name: "Mei") }');
  await post('query Hello { hello(name: "Ka") }');
  await post('{ hello(name: "Wing") }');

  expect(await valueOf(metrics.requests, { operation: 'Hello', type: 'query' })).toBe(2);
  expect(await valueOf(metrics.requests, { operation: '(anonymous)', type: 'query' })).toBe(1);
  expect(await valueOf(metrics.requestDuration, { operation: 'Hello', type: 'query' }, 'harbour_gateway_request_duration_seconds_count')).toBe(2);
  expect(await valueOf(metrics.requestDuration, { operation: 'Hello', type: 'query' }, 'harbour_gateway_request_duration_seconds_sum')).toBeGreaterThan(0);
  expect((await metrics.errors.get()).values).toEqual([]);
});

it('counts every error a client receives by its code: from a subgraph, from parsing, from the context', async () => {
  await post('query Mine { forbidden }');
  await post('query Broken { hello(');
  expect(await post('query Hello { hello(name: "Mei") }', true)).toBe(401);
  await post('query Unknown { nope }');

  expect(await valueOf(metrics.errors, { code: 'FORBIDDEN' })).toBe(1);
  expect(await valueOf(metrics.errors, { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  expect(await valueOf(metrics.errors, { code: 'UNAUTHENTICATED' })).toBe(1);
  expect(await valueOf(metrics.errors, { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  // A document that never parsed has no type; one that parsed is labelled by its operation even when invalid.
  expect(await valueOf(metrics.requests, { operation: '(anonymous)', type: 'unknown' })).toBe(1);
  expect(await valueOf(metrics.requests, { operation: 'Unknown', type: 'query' })).toBe(1);
});

it('serves the registry as Prometheus text, one series per operation', async () => {
  await post('query Hello { hello(name: "Mei") }');
  const text = await metrics.registry.metrics();
  expect(text).toContain('harbour_gateway_requests_total{operation="Hello",type="query"} 1');
  expect(text).toContain('harbour_gateway_query_plan_cache_total{result="miss"} 1');
});
