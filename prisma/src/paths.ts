import path from 'node:path';
import type { SubgraphName } from '@harbour/config';

/** The folder holding every store's schema and migrations. */
export const STORE_ROOT = path.resolve(__dirname, '..');

export const schemaPath = (store: SubgraphName) => path.join(STORE_ROOT, store, 'schema.prisma');
export const migrationsPath = (store: SubgraphName) => path.join(STORE_ROOT, store, 'migrations');
