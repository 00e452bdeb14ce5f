import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** The folder of the composed supergraph and its subgraph list. */
export const SCHEMA_ROOT = path.resolve(__dirname, '..');
export const SUPERGRAPH_PATH = path.join(SCHEMA_ROOT, 'supergraph.graphql');
/**
 * Every committed file that holds the composed supergraph: ours, and the
 * Kubernetes base's copy for the gateway's ConfigMap (kustomize reads no file
 * outside `k8s/`). `schema:compose` writes them all; `schema:check` fails
 * while any differs.
 */
export const SUPERGRAPH_FILES = [SUPERGRAPH_PATH, path.resolve(SCHEMA_ROOT, '..', 'k8s', 'base', 'gateway', 'supergraph.graphql')];

export interface SubgraphEntry {
  name: string;
  url: string;
  /** Path of the SDL, relative to schema/. */
  schema: string;
}

export function subgraphEntries(): SubgraphEntry[] {
  const file = JSON.parse(fs.readFileSync(path.join(SCHEMA_ROOT, 'subgraphs.json'), 'utf8')) as { subgraphs: SubgraphEntry[] };
  return file.subgraphs;
}

export type Composition = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

/** Composes the six subgraph SDLs (Federation 2) into a supergraph. */
export function composeSupergraph(entries: SubgraphEntry[] = subgraphEntries()): Composition {
  const services = entries.map((entry) => {
    const file = path.resolve(SCHEMA_ROOT, entry.schema);
    return { name: entry.name, url: entry.url, typeDefs: parse(fs.readFileSync(file, 'utf8')) };
  });
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return { ok: true, supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, hints: result.hints.map((hint) => hint.toString()) };
}
