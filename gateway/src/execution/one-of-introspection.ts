import type { Schema } from '@apollo/federation-internals';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's own exports object is what is replaced (see ./index.ts)
import introspection = require('@apollo/federation-internals/dist/introspection');

let installed = false;

/**
 * `__Type.isOneOf` for the gateway's own model of the schema.
 *
 * graphql-js 16.9+ answers `isOneOf` (the `@oneOf` input objects of the
 * GraphQL spec), and `getIntrospectionQuery({ oneOf: true })` asks for it,
 * as recent GraphQL Code Generator, Rover and GraphiQL do. @apollo/gateway
 * builds every operation against @apollo/federation-internals' own copy of
 * the introspection types, which lacks that field, so such a query failed
 * with an internal error before it was planned. The field is added to that
 * copy when each schema gets its introspection types; answering it is left
 * to graphql-js, which executes every introspection selection
 * (executeQueryPlan's executeIntrospection) against the API schema.
 *
 * Installed once per process, before a supergraph is loaded; it fails at
 * start if a later version no longer exposes what it wraps.
 */
export function installOneOfIntrospection(): void {
  if (installed) return;
  const addIntrospectionFields = introspection.addIntrospectionFields;
  if (typeof addIntrospectionFields !== 'function') {
    throw new Error('@apollo/federation-internals/dist/introspection.addIntrospectionFields is gone: check gateway/src/execution/one-of-introspection.ts against this version.');
  }
  installed = true;
  introspection.addIntrospectionFields = (schema: Schema) => {
    addIntrospectionFields(schema);
    const type = schema.type('__Type');
    if (type?.kind === 'ObjectType' && !type.field('isOneOf')) type.addField('isOneOf', schema.booleanType());
  };
  if (introspection.addIntrospectionFields === addIntrospectionFields) throw new Error('Could not wrap addIntrospectionFields (a read-only export?).');
}
