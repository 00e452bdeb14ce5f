import {
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type SchemaDefinitionNode,
  type SchemaExtensionNode,
} from 'graphql';

/**
 * What a field (or a type) asks of the caller: a signed-in user, and/or one of
 * several sets of scopes (`[["a"], ["b", "c"]]` is "a, or both b and c") —
 * `@authenticated` and `@requiresScopes` as composed into the supergraph.
 */
export interface Requirement {
  authenticated: boolean;
  /** Alternatives, each a set of scopes all needed; empty = no scope needed. */
  scopes: string[][];
}

/** The access rules of a supergraph: per type, and per field of a type. */
export interface AccessRules {
  /** What `Type.field` asks, including what its own type and its parent type ask; undefined when nothing. */
  field(parentType: string, fieldName: string, returnType: string): Requirement | undefined;
  /** True when no field or type carries a rule (a supergraph without the directives). */
  readonly empty: boolean;
}

const SPECS = {
  authenticated: 'https://specs.apollo.dev/authenticated/',
  requiresScopes: 'https://specs.apollo.dev/requiresScopes/',
} as const;

type Spec = keyof typeof SPECS;

/** Both requirements at once (scope alternatives multiply out: (a ∨ b) ∧ c = ac ∨ bc). */
export function combine(a: Requirement | undefined, b: Requirement | undefined): Requirement | undefined {
  if (!a) return b;
  if (!b) return a;
  const scopes = a.scopes.length === 0 ? b.scopes : b.scopes.length === 0 ? a.scopes : a.scopes.flatMap((left) => b.scopes.map((right) => [...new Set([...left, ...right])]));
  return { authenticated: a.authenticated || b.authenticated, scopes };
}

function linkDirectives(document: DocumentNode): ConstDirectiveNode[] {
  return document.definitions
    .filter((definition): definition is SchemaDefinitionNode | SchemaExtensionNode => definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION)
    .flatMap((definition) => definition.directives ?? [])
    .filter((directive) => directive.name.value === 'link');
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function specOf(directive: ConstDirectiveNode): Spec | undefined {
  const url = stringArgument(directive, 'url');
  return (Object.keys(SPECS) as Spec[]).find((spec) => url?.startsWith(SPECS[spec]));
}

/** The names the supergraph gives the two directives (`@link(..., as:)` may rename them). */
function directiveNames(document: DocumentNode): Map<string, Spec> {
  const names = new Map<string, Spec>();
  for (const link of linkDirectives(document)) {
    const spec = specOf(link);
    if (spec) names.set(stringArgument(link, 'as') ?? spec, spec);
  }
  return names;
}

function scopeSets(value: ConstValueNode | undefined): string[][] {
  if (value?.kind !== Kind.LIST) throw new Error('@requiresScopes(scopes:) must be a list of lists of scopes.');
  return value.values.map((set) => {
    if (set.kind !== Kind.LIST) throw new Error('@requiresScopes(scopes:) must be a list of lists of scopes.');
    return set.values.map((scope) => {
      if (scope.kind !== Kind.STRING) throw new Error('A scope in @requiresScopes must be a string.');
      return scope.value;
    });
  });
}

function requirementOf(directives: readonly ConstDirectiveNode[] | undefined, names: Map<string, Spec>): Requirement | undefined {
  let requirement: Requirement | undefined;
  for (const directive of directives ?? []) {
    const spec = names.get(directive.name.value);
    if (spec === 'authenticated') requirement = combine(requirement, { authenticated: true, scopes: [] });
    if (spec === 'requiresScopes') {
      const scopes = directive.arguments?.find((argument) => argument.name.value === 'scopes')?.value;
      requirement = combine(requirement, { authenticated: false, scopes: scopeSets(scopes) });
    }
  }
  return requirement;
}

/**
 * Reads `@authenticated` and `@requiresScopes` from the composed supergraph
 * (the file as composed, with its `for: SECURITY` links): on a field they
 * guard the field; on a type they guard every field of that type and every
 * field returning it.
 */
export function readAccessRules(supergraphSdl: string): AccessRules {
  const document = parse(supergraphSdl);
  const names = directiveNames(document);
  const types = new Map<string, Requirement>();
  const fields = new Map<string, Requirement>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const onType = requirementOf(definition.directives as readonly ConstDirectiveNode[] | undefined, names);
    if (onType) types.set(typeName, combine(types.get(typeName), onType)!);
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const onField = requirementOf(field.directives, names);
      const key = `${typeName}.${field.name.value}`;
      if (onField) fields.set(key, combine(fields.get(key), onField)!);
    }
  }
  return {
    empty: types.size === 0 && fields.size === 0,
    field: (parentType, fieldName, returnType) => combine(combine(fields.get(`${parentType}.${fieldName}`), types.get(parentType)), types.get(returnType)),
  };
}

/**
 * The supergraph as `@apollo/gateway` will load it: the same schema with
 * `for: SECURITY` dropped from the authenticated and requiresScopes links
 * (the gateway refuses SECURITY features it does not implement; Harbour
 * enforces these two itself, see authorizingGateway). A SECURITY feature
 * Harbour does not enforce keeps its marker, so the gateway still refuses
 * to start rather than ignore it.
 */
export function withoutEnforcedSecurityMarkers(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const stripped = visit(document, {
    Directive(directive) {
      if (directive.name.value !== 'link' || !specOf(directive as ConstDirectiveNode)) return undefined;
      return { ...directive, arguments: directive.arguments?.filter((argument) => argument.name.value !== 'for') };
    },
  });
  return print(stripped);
}
