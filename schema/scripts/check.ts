/** `npm run schema:check`: fails when composition errs or supergraph.graphql is stale. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../src';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  process.exit(1);
}
const committed = fs.existsSync(SUPERGRAPH_PATH) ? fs.readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
if (committed !== result.supergraphSdl) {
  console.error(`${SUPERGRAPH_PATH} is stale: run \`npm run schema:compose\` and commit the result.`);
  process.exit(1);
}
console.log('supergraph.graphql is up to date.');
