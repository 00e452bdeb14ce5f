/** `npm run schema:compose`: writes schema/supergraph.graphql from the six subgraph SDLs. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../src';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  process.exit(1);
}
fs.writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
console.log(`Wrote ${SUPERGRAPH_PATH} (${result.hints.length} composition hints).`);
