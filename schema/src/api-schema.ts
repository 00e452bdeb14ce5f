import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * The SECURITY features Harbour's gateway enforces itself (gateway/src/authz):
 * the API schema of a supergraph using them is what clients see all the same.
 */
const SUPPORTED_FEATURES = new Set([
  ...DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES,
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
]);

/** The schema clients see: the supergraph without its federation machinery. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: SUPPORTED_FEATURES }).apiSchema().toGraphQLJSSchema();
}
