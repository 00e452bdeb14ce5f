/**
 * The drift check: does a migrated database match its store's Prisma
 * datamodel? Hand-written migrations (see shared/notes/prisma-offline.md)
 * can forget a column or an index; this catches it by comparing the
 * datamodel with information_schema: every model a table, every scalar
 * field a column of a compatible type and nullability, every @id/@@id,
 * @unique/@@unique, @@index and relation an index or foreign key, and
 * nothing in the database that the model lacks (`_prisma_migrations` aside).
 */
import { readFileSync } from 'node:fs';
import type { SubgraphName } from '@harbour/config';
import { close, connect, targetOf } from '../migrate/connection';
import { schemaPath } from '../paths';
import { readDatabaseShape } from './actual';
import { compareShapes } from './compare';
import { expectedShape, parseDatamodel, usesPrismaRelationMode } from './expected';

export interface DriftOptions {
  /** Compare with this schema.prisma instead of the store's own. */
  schemaPath?: string;
}

/** Human-readable differences; an empty array means no drift. */
export async function checkDrift(store: SubgraphName, databaseUrl: string, options: DriftOptions = {}): Promise<string[]> {
  const file = options.schemaPath ?? schemaPath(store);
  const schema = readFileSync(file, 'utf8');
  const expected = expectedShape(await parseDatamodel(schema, file), !usesPrismaRelationMode(schema));

  const { database } = targetOf(databaseUrl);
  const connection = await connect(databaseUrl, { useDatabase: true });
  try {
    return compareShapes(expected, await readDatabaseShape(connection, database));
  } finally {
    await close(connection);
  }
}
