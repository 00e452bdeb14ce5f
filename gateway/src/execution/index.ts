import type { Operation, Schema } from '@apollo/federation-internals';
import type { DefinitionNode } from 'graphql';
import { shapeResponse } from './result-shaping';

export { installOneOfIntrospection } from './one-of-introspection';

/*
 * @apollo/gateway's executeQueryPlan takes these two functions from their
 * modules' exports at each call, so replacing the exports replaces them for
 * every query plan it executes. `import x = require()` keeps the modules'
 * own export objects (an `import * as` namespace would be a copy).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's own exports object is what is replaced
import resultShaping = require('@apollo/gateway/dist/resultShaping');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
import operations = require('@apollo/federation-internals/dist/operations');

type OperationFromDocument = typeof operations.operationFromDocument;

/** How often each path was taken since the process started (for tests and profiling). */
export const executionCounters = { shaped: 0, shapedByApollo: 0, operationsReused: 0, operationsBuilt: 0 };

let installed = false;

/**
 * Makes the gateway's query plan execution cheaper in the two places where
 * its CPU profile showed per-request work that depends only on the
 * operation, not on the request:
 *
 * - `executeQueryPlan` rebuilds the operation (`operationFromDocument`, the
 *   whole document parsed into federation's own model) for every request.
 *   Built from the same document nodes (Apollo Server keeps one parsed
 *   document per query text) against the same schema, it is the same, and
 *   is now built once and reused; nothing in execution changes it.
 * - `computeResponse` (result shaping) walks that model for every response;
 *   a compiled plan of it answers instead (./result-shaping.ts), and hands
 *   every answer with an error, and every operation it does not compile,
 *   back to `computeResponse` itself.
 *
 * Installed once per process, before the first request; it fails at start
 * (not at the first request) if `@apollo/gateway` or
 * `@apollo/federation-internals` no longer exposes what it replaces.
 */
export function installCompiledExecution(): void {
  if (installed) return;
  const computeResponse = resultShaping.computeResponse;
  const operationFromDocument = operations.operationFromDocument;
  if (typeof computeResponse !== 'function' || typeof operationFromDocument !== 'function') {
    throw new Error('@apollo/gateway/dist/resultShaping.computeResponse or @apollo/federation-internals/dist/operations.operationFromDocument is gone: check the compiled execution (gateway/src/execution) against this version.');
  }
  installed = true;

  resultShaping.computeResponse = (args) => {
    const shaped = shapeResponse(args);
    if (shaped) {
      executionCounters.shaped++;
      return shaped;
    }
    executionCounters.shapedByApollo++;
    return computeResponse(args);
  };
  operations.operationFromDocument = reuseOperations(operationFromDocument);
  if (resultShaping.computeResponse === computeResponse || operations.operationFromDocument === operationFromDocument) {
    throw new Error('The compiled execution could not replace computeResponse/operationFromDocument (read-only exports?).');
  }
}

/** Operations built per document, kept with the document's operation node (a WeakMap: they go when it goes). */
interface Built {
  schema: Schema;
  fragments: readonly DefinitionNode[];
  operation: Operation;
}

/** One document's operation is built against at most this many schemas (a supergraph update makes a new one). */
const SCHEMAS_PER_DOCUMENT = 2;

function reuseOperations(build: OperationFromDocument): OperationFromDocument {
  const built = new WeakMap<DefinitionNode, Built[]>();
  return (schema, document, options) => {
    // executeQueryPlan's call: the operation node first, then the fragments, not validated again (Apollo Server did).
    const [node, ...fragments] = document.definitions;
    if (!node || node.kind !== 'OperationDefinition' || !options || options.validate !== false || options.operationName !== undefined) {
      return build(schema, document, options);
    }
    const entries = built.get(node) ?? [];
    const found = entries.find((entry) => entry.schema === schema && sameNodes(entry.fragments, fragments));
    if (found) {
      executionCounters.operationsReused++;
      return found.operation;
    }
    const operation = build(schema, document, options);
    executionCounters.operationsBuilt++;
    built.set(node, [{ schema, fragments, operation }, ...entries].slice(0, SCHEMAS_PER_DOCUMENT));
    return operation;
  };
}

function sameNodes(a: readonly DefinitionNode[], b: readonly DefinitionNode[]): boolean {
  return a.length === b.length && a.every((node, index) => node === b[index]);
}
