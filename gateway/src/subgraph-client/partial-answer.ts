import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { subgraphUnavailable } from '@harbour/errors';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';

type Path = ReadonlyArray<string | number>;

/**
 * What a subgraph that could not be reached "answers": no data, and one
 * SUBGRAPH_UNAVAILABLE naming it at each field it was asked for — the root
 * fields of a root fetch, or each entity's fields of an `_entities` fetch
 * (`['_entities', i, field]`, which the gateway maps onto the entity's place
 * in the response). The gateway then returns everything else it has, with
 * these fields null.
 */
export function unavailableAnswer(serviceName: string, request: GatewayGraphQLRequest, document: DocumentNode | undefined): GatewayGraphQLResponse {
  const { message, extensions } = subgraphUnavailable(serviceName);
  const parsed = document ?? (request.query ? documentOf(request.query) : undefined);
  const paths = parsed ? requestedPaths(parsed, request.variables?.representations) : [];
  const errors: GraphQLFormattedError[] = paths.length ? paths.map((path) => ({ message, path, extensions })) : [{ message, extensions }];
  return { errors };
}

/** Subgraph documents parsed on the failure path; the planner makes a bounded set of them, cached while a subgraph is down. */
const parsedDocuments = new Map<string, DocumentNode>();
const MAX_PARSED_DOCUMENTS = 500;

/** The planner's fetch document (Apollo hands the data source only its text unless the planner is told to expose the node). */
function documentOf(query: string): DocumentNode | undefined {
  let document = parsedDocuments.get(query);
  if (document) return document;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  if (parsedDocuments.size >= MAX_PARSED_DOCUMENTS) parsedDocuments.clear();
  parsedDocuments.set(query, document);
  return document;
}

function requestedPaths(document: DocumentNode, representations: unknown): Path[] {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  if (!Array.isArray(representations)) return responseNames(operation.selectionSet, fragments, undefined).map((name) => [name]);
  const entities = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities');
  const selectionSet = entities?.kind === Kind.FIELD ? entities.selectionSet : undefined;
  return representations.flatMap((representation: unknown, index) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    const names = selectionSet ? responseNames(selectionSet, fragments, typeof typename === 'string' ? typename : undefined) : [];
    return names.length ? names.map((name) => ['_entities', index, name]) : [['_entities', index]];
  });
}

/** The response keys a selection set asks for (on `typename`, when given), through inline fragments and fragment spreads. */
function responseNames(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, typename: string | undefined): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.alias?.value ?? selection.name.value);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      const condition = fragment?.typeCondition?.name.value;
      if (fragment && (!typename || !condition || condition === typename)) visit(fragment.selectionSet);
    }
  };
  visit(selectionSet);
  return [...names];
}
