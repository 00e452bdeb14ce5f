/**
 * Hive Gateway (`@graphql-hive/gateway`) on the same supergraph, with the
 * same token check and signed identity header as the others, served on
 * Node's http server with its defaults otherwise. Part of
 * `npm run bench:gateway`.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { IDENTITY_HEADER, type Identity } from '@harbour/identity';
import { announceAndWait, benchGatewaySetup } from './shared';

async function main() {
  const setup = benchGatewaySetup();
  const urls = new Map(setup.supergraph.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const signedPerRequest = new WeakMap<Request, Promise<string>>();
  const runtime = createGatewayRuntime({
    supergraph: setup.supergraph.sdl,
    transportEntries: Object.fromEntries([...urls].map(([name, url]) => [name, { location: url }])),
    // Headers given here are part of each subgraph request as Hive plans it, so its sharing of identical
    // in-flight subgraph requests (on by default) never hands one caller's answer to another.
    // (Headers set later, in an onFetch hook, are not: the bench caught exactly that, 380 of 400 answers wrong.)
    propagateHeaders: {
      fromClientToSubgraphs: async ({ request }) => {
        // Once per client request, as the other gateways do, however many subgraph fetches it makes.
        let signed = signedPerRequest.get(request);
        if (!signed) {
          signed = setup.authenticator.authenticate(request.headers.get('authorization') ?? undefined).then((identity: Identity) => setup.sign(identity));
          signedPerRequest.set(request, signed);
        }
        return { [IDENTITY_HEADER]: await signed };
      },
    },
    logging: false,
    graphiql: false,
    landingPage: false,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(setup.port, '127.0.0.1', resolve));
  announceAndWait('hive', async () => {
    server.close();
    await runtime.dispose();
    await setup.stop();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
