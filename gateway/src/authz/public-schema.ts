import { ErrorCode, harbourError } from '@harbour/errors';
import { STAFF_SCOPES } from '@harbour/identity';
import {
  buildASTSchema,
  execute,
  Kind,
  parse,
  printSchema,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type TypeNode,
} from 'graphql';

/**
 * The tag that marks the staff console's surface (console.md): staff-only
 * root fields, their types, and staff-only fields of shared types carry
 * `@tag(name: "staff")` in their subgraph's SDL.
 */
export const STAFF_TAG = 'staff';

const TAG_SPEC = 'https://specs.apollo.dev/tag/';

/** Schema coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) carrying `@tag(name: <tag>)` in a supergraph. */
export function taggedCoordinates(supergraph: DocumentNode, tag: string): Set<string> {
  const directiveName = tagDirectiveName(supergraph);
  const tagged = (directives: readonly DirectiveNode[] | undefined) =>
    (directives ?? []).some(
      (directive) =>
        directive.name.value === directiveName &&
        directive.arguments?.some((argument) => argument.name.value === 'name' && argument.value.kind === Kind.STRING && argument.value.value === tag),
    );
  const coordinates = new Set<string>();
  for (const definition of supergraph.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const type = definition.name.value;
    if ('directives' in definition && tagged(definition.directives)) coordinates.add(type);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        if (tagged(field.directives)) coordinates.add(`${type}.${field.name.value}`);
        if ('arguments' in field) for (const argument of field.arguments ?? []) if (tagged(argument.directives)) coordinates.add(`${type}.${field.name.value}(${argument.name.value}:)`);
      }
    }
    if ('values' in definition) for (const value of definition.values ?? []) if (tagged(value.directives)) coordinates.add(`${type}.${value.name.value}`);
  }
  return coordinates;
}

/** `@tag`, or the name the supergraph's `@link` gives it. */
function tagDirectiveName(supergraph: DocumentNode): string {
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      const argument = (name: string) => {
        const value = directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
        return value?.kind === Kind.STRING ? value.value : undefined;
      };
      if (directive.name.value === 'link' && argument('url')?.startsWith(TAG_SPEC)) return argument('as') ?? 'tag';
    }
  }
  return 'tag';
}

/**
 * The schema partners and the public see (console.md: "Staff fields are
 * absent from the public schema"): the API schema without anything tagged
 * `staff`, and without the types only those fields reached. What
 * `/schema.graphql`, the explorer and the introspection of every caller
 * without a staff token are given. A public field that still needs a
 * removed type is a mistake in a subgraph's SDL: this throws, naming it, so
 * `schema:check` and the gateway's start catch it.
 */
export function publicSchemaOf(supergraphSdl: string, apiSchema: GraphQLSchema, tag: string = STAFF_TAG): GraphQLSchema {
  const hidden = taggedCoordinates(parse(supergraphSdl), tag);
  if (hidden.size === 0) return apiSchema;
  const document = parse(printSchema(apiSchema));
  const kept = document.definitions.flatMap((definition) => {
    const filtered = withoutHidden(definition, hidden);
    return filtered ? [filtered] : [];
  });
  const reachable = reachableTypes(kept);
  const definitions = kept.filter((definition) => !isNamedType(definition) || reachable.has(definition.name.value));
  for (const definition of definitions) {
    for (const reference of referencesOf(definition)) {
      if (hidden.has(reference)) {
        throw new Error(`${definition.kind === Kind.SCHEMA_DEFINITION ? 'The schema' : (definition as { name: { value: string } }).name.value} is public but uses ${reference}, which is tagged "${tag}": tag the field that uses it too.`);
      }
    }
  }
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions }, { assumeValidSDL: false });
}

type Named = Extract<DefinitionNode, { name: { value: string } }>;

function isNamedType(definition: DefinitionNode): definition is Named {
  return definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION && definition.kind !== Kind.DIRECTIVE_DEFINITION && 'name' in definition;
}

/** The definition without its hidden fields, arguments and values; undefined when the type itself is hidden. */
function withoutHidden(definition: DefinitionNode, hidden: Set<string>): DefinitionNode | undefined {
  if (!isNamedType(definition)) return definition;
  const type = definition.name.value;
  if (hidden.has(type)) return undefined;
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_DEFINITION:
      return {
        ...definition,
        fields: (definition.fields ?? [])
          .filter((field) => !hidden.has(`${type}.${field.name.value}`))
          .map((field) => ({ ...field, arguments: (field.arguments ?? []).filter((argument) => !hidden.has(`${type}.${field.name.value}(${argument.name.value}:)`)) })),
      };
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      return { ...definition, fields: (definition.fields ?? []).filter((field) => !hidden.has(`${type}.${field.name.value}`)) };
    case Kind.ENUM_TYPE_DEFINITION:
      return { ...definition, values: (definition.values ?? []).filter((value) => !hidden.has(`${type}.${value.name.value}`)) };
    case Kind.UNION_TYPE_DEFINITION:
      return { ...definition, types: (definition.types ?? []).filter((member) => !hidden.has(member.name.value)) };
    default:
      return definition;
  }
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** The types a definition names: its fields' and arguments' types, its interfaces, its union members, the schema's roots. */
function referencesOf(definition: DefinitionNode): string[] {
  switch (definition.kind) {
    case Kind.SCHEMA_DEFINITION:
      return (definition.operationTypes ?? []).map((operation) => operation.type.name.value);
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_DEFINITION:
      return [
        ...(definition.interfaces ?? []).map((implemented) => implemented.name.value),
        ...(definition.fields ?? []).flatMap((field) => [namedTypeOf(field.type), ...(field.arguments ?? []).map((argument) => namedTypeOf(argument.type))]),
      ];
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      return (definition.fields ?? []).map((field) => namedTypeOf(field.type));
    case Kind.UNION_TYPE_DEFINITION:
      return (definition.types ?? []).map((member) => member.name.value);
    case Kind.DIRECTIVE_DEFINITION:
      return (definition.arguments ?? []).map((argument) => namedTypeOf(argument.type));
    default:
      return [];
  }
}

/** Every type reachable from the roots (and the directives), an interface's implementations included. */
function reachableTypes(definitions: DefinitionNode[]): Set<string> {
  const byName = new Map(definitions.filter(isNamedType).map((definition) => [definition.name.value, definition]));
  const schemaDefinition = definitions.find((definition) => definition.kind === Kind.SCHEMA_DEFINITION);
  const roots = schemaDefinition ? referencesOf(schemaDefinition) : ['Query', 'Mutation', 'Subscription'].filter((name) => byName.has(name));
  const implementations = new Map<string, string[]>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const implemented of definition.interfaces ?? []) implementations.set(implemented.name.value, [...(implementations.get(implemented.name.value) ?? []), definition.name.value]);
  }
  const reachable = new Set<string>();
  const pending = [...roots, ...definitions.filter((definition) => definition.kind === Kind.DIRECTIVE_DEFINITION).flatMap(referencesOf)];
  while (pending.length) {
    const name = pending.pop()!;
    if (reachable.has(name)) continue;
    reachable.add(name);
    const definition = byName.get(name);
    if (definition) pending.push(...referencesOf(definition), ...(implementations.get(name) ?? []));
  }
  return reachable;
}

/** Does this caller see the staff surface? Only with a staff token (the gateway honours staff scopes from nowhere else). */
export function seesStaffSurface(scopes: ReadonlySet<string>): boolean {
  return STAFF_SCOPES.some((scope) => scopes.has(scope));
}

/**
 * An introspection operation answered from the public schema, for a caller
 * without a staff token: it sees exactly what `/schema.graphql` shows. Only
 * a pure introspection operation (`__schema`, `__type`, `__typename` at its
 * root) can be answered so; mixing it with data fields is refused.
 */
export function introspectPublicly(publicSchema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): ExecutionResult {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  const fragments = new Map(document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]));
  const rootFields = (selections: readonly SelectionNode[], seen = new Set<string>()): string[] =>
    selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection.name.value];
      if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet.selections, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return [];
      seen.add(fragment.name.value);
      return rootFields(fragment.selectionSet.selections, seen);
    });
  if (!operation || operation.operation !== 'query' || rootFields(operation.selectionSet.selections).some((name) => !INTROSPECTION_ROOT_FIELDS.has(name))) {
    return { errors: [harbourError(ErrorCode.GRAPHQL_VALIDATION_FAILED, 'Send introspection (__schema, __type) as an operation of its own, without other fields.')] };
  }
  const result = execute({ schema: publicSchema, document, operationName, variableValues: variables });
  if (isPromise(result)) throw new Error('Introspection of the public schema answered asynchronously.');
  return result;
}

const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type', '__typename']);

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';
