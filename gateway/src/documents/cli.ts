/**
 * The contract's trusted-documents manifests, generated from its parts in
 * tests/contract/ (operations.graphql → schema/trusted-documents/contract.json,
 * merchant.graphql → merchant.json): `write` regenerates them (part of
 * `npm run schema:compose`), `check` fails when a committed one is stale
 * (part of `npm run schema:check`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { contractManifests, manifestText } from './manifest';

const command = process.argv[2];
if (command !== 'write' && command !== 'check') {
  console.error('Usage: cli.ts write|check');
  process.exit(2);
}
let stale = false;
for (const { path: file, manifest } of contractManifests()) {
  const expected = manifestText(manifest);
  if (command === 'write') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, expected);
    console.log(`Wrote ${file}.`);
  } else if ((fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '') !== expected) {
    console.error(`${file} is stale: run \`npm run schema:compose\` and commit the result.`);
    stale = true;
  }
}
if (stale) process.exit(1);
if (command === 'check') console.log('The contract manifests are up to date.');
