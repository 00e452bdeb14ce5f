/**
 * The contract's trusted-documents manifest, generated from
 * tests/contract/operations.graphql: `write` regenerates
 * schema/trusted-documents/contract.json (part of `npm run schema:compose`),
 * `check` fails when the committed one is stale (part of `npm run schema:check`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONTRACT_MANIFEST_PATH, CONTRACT_OPERATIONS_PATH, manifestOf, manifestText } from './manifest';

const expected = manifestText(manifestOf(fs.readFileSync(CONTRACT_OPERATIONS_PATH, 'utf8')));
const command = process.argv[2];
if (command === 'write') {
  fs.mkdirSync(path.dirname(CONTRACT_MANIFEST_PATH), { recursive: true });
  fs.writeFileSync(CONTRACT_MANIFEST_PATH, expected);
  console.log(`Wrote ${CONTRACT_MANIFEST_PATH}.`);
} else if (command === 'check') {
  const committed = fs.existsSync(CONTRACT_MANIFEST_PATH) ? fs.readFileSync(CONTRACT_MANIFEST_PATH, 'utf8') : '';
  if (committed !== expected) {
    console.error(`${CONTRACT_MANIFEST_PATH} is stale: run \`npm run schema:compose\` and commit the result.`);
    process.exit(1);
  }
  console.log('The contract manifest is up to date.');
} else {
  console.error('Usage: cli.ts write|check');
  process.exit(2);
}
