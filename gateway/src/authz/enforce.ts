import { forbidden, unauthenticated } from '@harbour/errors';
import {
  buildASTSchema,
  execute,
  getNamedType,
  isAbstractType,
  Kind,
  parse,
  printSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { combine, type AccessRules, type Requirement } from './rules';

/** What the gateway knows of the caller when it decides. */
export interface Caller {
  /** A verified token (a signed-in user). */
  authenticated: boolean;
  scopes: ReadonlySet<string>;
}

/** Does the caller meet the requirement? */
export function satisfies(requirement: Requirement, caller: Caller): boolean {
  if (requirement.authenticated && !caller.authenticated) return false;
  return requirement.scopes.length === 0 || requirement.scopes.some((set) => set.every((scope) => caller.scopes.has(scope)));
}

/** UNAUTHENTICATED when there is no token, FORBIDDEN when a token lacks the scopes. */
export function refusal(requirement: Requirement, caller: Caller, what: string): GraphQLError {
  const alternatives = requirement.scopes.map((set) => set.join(' and ')).join(', or ');
  if (!caller.authenticated) return unauthenticated(`${what} needs a signed-in caller${alternatives ? ` with the scope ${alternatives}` : ''}.`);
  return forbidden(`${what} needs the scope ${alternatives}.`);
}

/**
 * Every field node of the document the caller may not select, with why.
 * Rules depend only on a field's definition, so one verdict per node holds
 * wherever a fragment is spread. A field selected through an interface is
 * held to the rules of every type that implements it.
 */
export function findDenials(schema: GraphQLSchema, document: DocumentNode, rules: AccessRules, caller: Caller): Map<FieldNode, Requirement> {
  const denials = new Map<FieldNode, Requirement>();
  if (rules.empty) return denials;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const definition = typeInfo.getFieldDef();
        if (!parent || !definition || node.name.value.startsWith('__')) return;
        const returnType = getNamedType(definition.type).name;
        let requirement = rules.field(parent.name, definition.name, returnType);
        if (isAbstractType(parent)) {
          for (const type of schema.getPossibleTypes(parent)) requirement = combine(requirement, rules.field(type.name, definition.name, returnType));
        }
        if (requirement && !satisfies(requirement, caller)) denials.set(node, requirement);
      },
    }),
  );
  return denials;
}

/** The refusal of a subscription's own field, if its rules deny the caller (its selection is checked as each update is completed). */
export function subscriptionRefusal(rules: AccessRules, schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, caller: Caller): GraphQLError | undefined {
  const parent = schema.getSubscriptionType()!.name;
  const requirement = rules.field(parent, field.name, getNamedType(field.type).name);
  return requirement && !satisfies(requirement, caller) ? refusal(requirement, caller, `${parent}.${field.name}`) : undefined;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The document without the denied fields, as the gateway will plan and run
 * it — nothing denied reaches a subgraph. A selection left empty gets
 * `__typename`, and so does every selection on an abstract type (so that
 * completeResponse can tell the concrete type). Null when the operation
 * itself has nothing left to fetch.
 */
export function withoutDenied(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, denials: ReadonlyMap<FieldNode, unknown>): DocumentNode | null {
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: (node) => (denials.has(node) ? null : undefined),
      SelectionSet: {
        leave(node) {
          const type = getNamedType(typeInfo.getType() ?? undefined);
          const hasTypename = node.selections.some((selection) => selection.kind === Kind.FIELD && !selection.alias && selection.name.value === '__typename');
          if (hasTypename || (node.selections.length > 0 && !(type && isAbstractType(type)))) return undefined;
          return { ...node, selections: [...node.selections, TYPENAME] as SelectionNode[] };
        },
      },
    }),
  );
  const operation = rewritten.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  // The root selection emptied (only the placeholder left): nothing of this operation may be fetched.
  const emptied = operation?.kind === Kind.OPERATION_DEFINITION && operation.selectionSet.selections.length === 1 && operation.selectionSet.selections[0] === TYPENAME;
  return emptied ? null : rewritten;
}

const bare = new WeakMap<GraphQLSchema, GraphQLSchema>();

/**
 * The same schema without resolvers: Apollo Server wraps every field of the
 * schema it serves with its own resolver (for plugins), which would
 * otherwise win over the field resolver completeResponse passes. Made once
 * per schema loaded.
 */
function withoutResolvers(schema: GraphQLSchema): GraphQLSchema {
  let copy = bare.get(schema);
  if (!copy) {
    copy = buildASTSchema(parse(printSchema(schema)), { assumeValidSDL: true });
    bare.set(schema, copy);
  }
  return copy;
}

/**
 * The answer to the original operation from the answer to the rewritten one:
 * the original is executed over the data already fetched, and each denied
 * field resolves to its refusal — so it is null with the error at its own
 * path (list indices included) and nulls bubble as GraphQL says for a
 * non-null field, by graphql-js itself.
 */
export async function completeResponse(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  fetched: ExecutionResult;
  denials: ReadonlyMap<FieldNode, Requirement>;
  caller: Caller;
}): Promise<ExecutionResult> {
  const { fetched, denials, caller } = options;
  if (fetched.data === null) return fetched;
  const fieldResolver: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, _args, _context, info) => {
    const denied = info.fieldNodes.map((node) => denials.get(node)).find(Boolean);
    if (denied) throw refusal(denied, caller, `${info.parentType.name}.${info.fieldName}`);
    return source[String(info.path.key)];
  };
  const completed = await execute({
    schema: withoutResolvers(options.schema),
    document: options.document,
    operationName: options.operationName,
    variableValues: options.variables,
    rootValue: fetched.data ?? {},
    fieldResolver,
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  const errors = [...(fetched.errors ?? []), ...(completed.errors ?? [])];
  return { ...fetched, data: completed.data ?? null, ...(errors.length ? { errors } : {}) };
}
