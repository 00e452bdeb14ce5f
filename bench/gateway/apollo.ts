/**
 * A plain `@apollo/gateway` on `@apollo/server`'s standalone server with
 * default settings (its default fetcher, no coalescing, no pools of ours),
 * plus only what the subgraphs require: the token check and the signed
 * identity header. The baseline of `npm run bench:gateway`.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER, type Identity } from '@harbour/identity';
import { announceAndWait, authorizationOf, benchGatewaySetup } from './shared';

interface Context {
  identity: Identity;
}

async function main() {
  const setup = benchGatewaySetup();
  const urls = new Map(setup.supergraph.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const gateway = new ApolloGateway({
    supergraphSdl: setup.supergraph.sdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<Context>({
        url: urls.get(name) ?? url,
        async willSendRequest({ request, context }) {
          const identity: Identity = 'identity' in context ? (context as Context).identity : { kind: 'service', service: 'gateway' };
          request.http?.headers.set(IDENTITY_HEADER, await setup.sign(identity));
        },
      }),
  });
  const server = new ApolloServer<Context>({ gateway });
  await startStandaloneServer(server, {
    listen: { port: setup.port, host: '127.0.0.1' },
    context: async ({ req }) => ({ identity: await setup.authenticator.authenticate(authorizationOf(req)) }),
  });
  announceAndWait('apollo', async () => {
    await server.stop();
    await setup.stop();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
