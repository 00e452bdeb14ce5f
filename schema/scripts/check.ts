/** `npm run schema:check`: fails when composition errs or any committed supergraph file is stale. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILES } from '../src';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  process.exit(1);
}
const stale = SUPERGRAPH_FILES.filter((file) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== result.supergraphSdl);
if (stale.length > 0) {
  console.error(`${stale.join(' and ')} stale: run \`npm run schema:compose\` and commit the result.`);
  process.exit(1);
}
console.log('supergraph.graphql (and its k8s copy) up to date.');
