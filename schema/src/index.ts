export { composeSupergraph, subgraphEntries, SCHEMA_ROOT, SUPERGRAPH_FILES, SUPERGRAPH_PATH, type Composition, type SubgraphEntry } from './compose';
export { apiSchemaOf } from './api-schema';
