import fs from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** A subgraph's SDL: `schema.graphql` at its package root. */
export function loadTypeDefs(packageRoot: string): DocumentNode {
  return parse(fs.readFileSync(path.join(packageRoot, 'schema.graphql'), 'utf8'));
}

/** Readiness of a subgraph whose only dependency is its store. */
export function storeReady(store: { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> }): () => Promise<boolean> {
  return async () => {
    await store.$queryRaw`SELECT 1`;
    return true;
  };
}
