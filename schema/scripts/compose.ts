/** `npm run schema:compose`: writes schema/supergraph.graphql (and the k8s base's copy) from the six subgraph SDLs. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILES } from '../src';

const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  process.exit(1);
}
for (const file of SUPERGRAPH_FILES) fs.writeFileSync(file, result.supergraphSdl);
console.log(`Wrote ${SUPERGRAPH_FILES.join(' and ')} (${result.hints.length} composition hints).`);
