/**
 * `prisma generate` for every store, offline. Prisma's CLI wants to download
 * its schema engine before generating even though generate does not use it;
 * pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable stops that. A machine
 * that has the real engine (the variable already set) keeps using it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SUBGRAPHS } from '@harbour/config';

const root = path.resolve(__dirname, '..');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const cli = require.resolve('prisma/build/index.js');

for (const store of SUBGRAPHS) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', path.join(root, store, 'schema.prisma')], { env, stdio: 'inherit', cwd: root });
}
