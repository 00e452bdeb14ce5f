import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS, type SubgraphName } from '@harbour/config';
import { STORE_ROOT } from './paths';

/**
 * Each store's generated Prisma client (`prisma/<store>/generated/`) is not
 * committed: it is made from `schema.prisma` by `prisma generate`. Beside it
 * lies the SHA-256 of the schema it was made from, so `npm start` can tell,
 * by reading two small files, whether a fresh clone or a pulled schema
 * change needs it made again.
 */
const stampPath = (root: string, store: SubgraphName) => path.join(root, store, 'generated', '.schema.sha256');
const clientPath = (root: string, store: SubgraphName) => path.join(root, store, 'generated', 'client.ts');
const schemaHash = (root: string, store: SubgraphName) => createHash('sha256').update(fs.readFileSync(path.join(root, store, 'schema.prisma'))).digest('hex');

/** The stores whose client is missing or was made from another version of their schema. */
export function staleClients(stores: readonly SubgraphName[] = SUBGRAPHS, root = STORE_ROOT): SubgraphName[] {
  return stores.filter((store) => {
    try {
      return !fs.existsSync(clientPath(root, store)) || fs.readFileSync(stampPath(root, store), 'utf8').trim() !== schemaHash(root, store);
    } catch {
      return true;
    }
  });
}

/** Records that `store`'s client was just made from its current schema. */
export function stampClient(store: SubgraphName, root = STORE_ROOT): void {
  fs.writeFileSync(stampPath(root, store), `${schemaHash(root, store)}\n`);
}
