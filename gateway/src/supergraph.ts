import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { ConfigError, subgraphUrlOverride } from '@harbour/config';
import type { GraphQLSchema } from 'graphql';
import { publicSchemaOf, readAccessRules, withoutEnforcedSecurityMarkers, type AccessRules } from './authz';

export interface LoadedSupergraph {
  /** The supergraph as the gateway loads it: `for: SECURITY` dropped from the links of the directives Harbour enforces itself. */
  sdl: string;
  /** `@authenticated` and `@requiresScopes`, read from the file as composed. */
  accessRules: AccessRules;
  /** Each subgraph's name and the URL the gateway routes to (the environment's override, else the supergraph's). */
  subgraphs: Array<{ name: string; url: string }>;
  /** The API schema without its staff surface (`@tag(name: "staff")`): what partners and the public see (console.md). */
  publicSchema: GraphQLSchema;
}

/** Reads and validates the composed supergraph file, applying `<NAME>_SUBGRAPH_URL` overrides. */
export function loadSupergraph(file: string, env: Record<string, string | undefined> = process.env): LoadedSupergraph {
  let sdl: string;
  try {
    sdl = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`SUPERGRAPH_PATH (${file}) cannot be read: run \`npm run schema:compose\` or point SUPERGRAPH_PATH at a supergraph.`);
  }
  let supergraph: Supergraph;
  let gatewaySdl: string;
  let accessRules: AccessRules;
  let publicSchema: GraphQLSchema;
  try {
    accessRules = readAccessRules(sdl);
    gatewaySdl = withoutEnforcedSecurityMarkers(sdl);
    supergraph = Supergraph.build(gatewaySdl);
    publicSchema = publicSchemaOf(gatewaySdl, supergraph.apiSchema().toGraphQLJSSchema());
  } catch (error) {
    throw new ConfigError(`SUPERGRAPH_PATH (${file}) is not a valid supergraph: ${(error as Error).message.split('\n')[0]}`);
  }
  const subgraphs = supergraph.subgraphs().values().map((subgraph) => ({
    name: subgraph.name,
    url: subgraphUrlOverride(subgraph.name, env) ?? subgraph.url,
  }));
  return { sdl: gatewaySdl, accessRules, subgraphs, publicSchema };
}
