import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '@harbour/errors';

export interface OperationLimits {
  /** Lexical tokens in the whole document, checked before it is parsed. */
  maxTokens: number;
  /** Nesting of selection sets, fragments followed. */
  maxDepth: number;
  /**
   * The same nesting, below the introspection fields `__schema` and `__type`
   * (as Apollo Router limits introspection apart): the standard
   * introspection query (graphql-js's `getIntrospectionQuery` with every
   * option) nests 15 deep, deeper than any operation needs to. Its lists
   * nested in one another (`fields { type { fields …`) are bounded
   * separately by graphql-js's MaxIntrospectionDepthRule, which Apollo
   * Server runs with every validation.
   */
  maxIntrospectionDepth: number;
  /** Aliased fields anywhere in the operation. */
  maxAliases: number;
  /** Fields at the root of the operation. */
  maxRootFields: number;
  /** Static cost: every field costs 1, times the `first` of each connection or list above it (1 where there is none). */
  maxCost: number;
}

/**
 * Comfortably above every operation of the client contract (the largest,
 * BusinessDashboard, has about 110 tokens, depth 6, cost ~350): see
 * gateway/src/limits/__tests__.
 */
export const DEFAULT_LIMITS: OperationLimits = { maxTokens: 2_000, maxDepth: 12, maxIntrospectionDepth: 20, maxAliases: 30, maxRootFields: 10, maxCost: 5_000 };

/** The fields that open an introspection subtree (valid on the query root only). */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

type DepthLimit = 'maxDepth' | 'maxIntrospectionDepth';

export const tooComplex = (limit: keyof OperationLimits, message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_TOO_COMPLEX, limit, http: { status: 400 } } });

/** Counts tokens without parsing, stopping as soon as the limit is passed. */
export function checkTokens(query: string, limits: OperationLimits): void {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > limits.maxTokens) throw tooComplex('maxTokens', `The document has more than ${limits.maxTokens} tokens.`);
    }
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.OPERATION_TOO_COMPLEX) throw error;
    // A lexical error is the parser's to report, with its own code.
  }
}

interface Measure {
  aliases: number;
  cost: number;
  /** A `first` came from a variable: the verdict holds for these variables only. */
  readsVariables: boolean;
}

/**
 * Depth, aliases, root fields and static cost of a parsed, validated
 * operation, checked before it is planned: nothing reaches a subgraph.
 */
export function checkOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, limits: OperationLimits): { readsVariables: boolean } {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const rootType = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const rootFields = countRootFields(operation.selectionSet, fragments);
  if (rootFields > limits.maxRootFields) throw tooComplex('maxRootFields', `The operation asks for ${rootFields} root fields; at most ${limits.maxRootFields}.`);
  const measure: Measure = { aliases: 0, cost: 0, readsVariables: false };
  walk(schema, operation.selectionSet, rootType ?? undefined, 1, 'maxDepth', 1n, measure, fragments, variables, limits, new Set());
  if (measure.aliases > limits.maxAliases) throw tooComplex('maxAliases', `The operation has ${measure.aliases} aliases; at most ${limits.maxAliases}.`);
  if (measure.cost > limits.maxCost) throw tooComplex('maxCost', `The operation's cost is ${measure.cost}; at most ${limits.maxCost}.`);
  return { readsVariables: measure.readsVariables };
}

function countRootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) count++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countRootFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

function walk(
  schema: GraphQLSchema,
  set: SelectionSetNode,
  parent: GraphQLType | undefined,
  depth: number,
  depthLimit: DepthLimit,
  multiplier: bigint,
  measure: Measure,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: OperationLimits,
  path: Set<string>,
): void {
  if (depth > limits[depthLimit]) {
    const what = depthLimit === 'maxDepth' ? 'The operation' : 'Its introspection';
    throw tooComplex(depthLimit, `${what} is nested deeper than ${limits[depthLimit]}.`);
  }
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) measure.aliases++;
      measure.cost += Number(multiplier > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : multiplier);
      if (measure.cost > limits.maxCost) throw tooComplex('maxCost', `The operation's cost is more than ${limits.maxCost}.`);
      if (!selection.selectionSet) continue;
      const field = fieldOf(parent, selection.name.value);
      const type = field?.type;
      // A connection (or list) field's `first` sizes everything below it: edges, nodes, their fields.
      const listSize = firstArgument(selection.arguments ?? [], variables, measure);
      const below = depthLimit === 'maxDepth' && INTROSPECTION_ROOTS.has(selection.name.value) ? 'maxIntrospectionDepth' : depthLimit;
      walk(schema, selection.selectionSet, type ? getNamedType(type) : undefined, depth + 1, below, multiplier * listSize, measure, fragments, variables, limits, path);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      walk(schema, selection.selectionSet, typed ?? undefined, depth, depthLimit, multiplier, measure, fragments, variables, limits, path);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment spread inside itself is a validation error; never loop here either.
      if (!fragment || path.has(name)) continue;
      path.add(name);
      walk(schema, fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parent, depth, depthLimit, multiplier, measure, fragments, variables, limits, path);
      path.delete(name);
    }
  }
}

function fieldOf(parent: GraphQLType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

/** The `first` of a list field (a literal or a variable), else 1. */
function firstArgument(args: readonly { name: { value: string }; value: ValueNode }[], variables: Record<string, unknown>, measure: Measure): bigint {
  const argument = args.find((arg) => arg.name.value === 'first');
  if (!argument) return 1n;
  if (argument.value.kind === Kind.VARIABLE) measure.readsVariables = true;
  const value = argument.value.kind === Kind.VARIABLE ? variables[argument.value.name.value] : argument.value.kind === Kind.INT ? Number(argument.value.value) : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? BigInt(value) : 1n;
}
