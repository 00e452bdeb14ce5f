/**
 * Hive Gateway (`@graphql-hive/gateway`) on the same supergraph, with the
 * same token check and signed identity header as the others, served on
 * Node's http server with its defaults otherwise. Part of
 * `npm run bench:gateway`.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { IDENTITY_HEADER, type Identity } from '@harbour/identity';
import { announceAndWait, benchGatewaySetup } from './shared';

async function main() {
  const setup = benchGatewaySetup();
  const urls = new Map(setup.supergraph.subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));
  const identities = new WeakMap<object, Promise<Identity>>();
  const identityPlugin: GatewayPlugin = {
    onContextBuilding({ context }) {
      const request = (context as { request: Request }).request;
      identities.set(context, setup.authenticator.authenticate(request.headers.get('authorization') ?? undefined));
    },
    async onFetch({ context, options, setOptions }) {
      const identity = (await identities.get(context as object)) ?? { kind: 'service', service: 'gateway' };
      setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), [IDENTITY_HEADER]: await setup.sign(identity) } });
    },
  };
  const runtime = createGatewayRuntime({
    supergraph: setup.supergraph.sdl,
    transportEntries: Object.fromEntries([...urls].map(([name, url]) => [name, { location: url }])),
    plugins: () => [identityPlugin],
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
