import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { ConfigError, subgraphUrlOverride } from '@harbour/config';

export interface LoadedSupergraph {
  sdl: string;
  /** Each subgraph's name and the URL the gateway routes to (the environment's override, else the supergraph's). */
  subgraphs: Array<{ name: string; url: string }>;
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
  try {
    supergraph = Supergraph.build(sdl);
  } catch (error) {
    throw new ConfigError(`SUPERGRAPH_PATH (${file}) is not a valid supergraph: ${(error as Error).message.split('\n')[0]}`);
  }
  const subgraphs = supergraph.subgraphs().values().map((subgraph) => ({
    name: subgraph.name,
    url: subgraphUrlOverride(subgraph.name, env) ?? subgraph.url,
  }));
  return { sdl, subgraphs };
}
