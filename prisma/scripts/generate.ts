/**
 * `prisma generate` for every store (or the stores named as arguments),
 * offline. Prisma's CLI wants to download its schema engine before
 * generating even though generate does not use it; pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any executable stops that. A machine that
 * has the real engine (the variable already set) keeps using it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SUBGRAPHS, isSubgraphName } from '@harbour/config';
import { stampClient } from '../src/generated-clients';

const root = path.resolve(__dirname, '..');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const cli = require.resolve('prisma/build/index.js');

const named = process.argv.slice(2);
const unknown = named.filter((name) => !isSubgraphName(name));
if (unknown.length > 0) {
  process.stderr.write(`generate: no store named ${unknown.join(', ')}; the stores are ${SUBGRAPHS.join(', ')}.\n`);
  process.exit(2);
}
for (const store of named.length > 0 ? named.filter(isSubgraphName) : SUBGRAPHS) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', path.join(root, store, 'schema.prisma')], { env, stdio: 'inherit', cwd: root });
  stampClient(store);
}
