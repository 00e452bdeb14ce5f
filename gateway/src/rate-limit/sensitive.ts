import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Root fields with a stricter limit: `userByPhone` answers whether a phone
 * number has an account (enumeration), `logIn` checks a password (guessing),
 * and `addBusinessMember` answers NOT_FOUND for a number nobody signed up
 * with (the same enumeration, for anyone who registers a business).
 */
export const SENSITIVE_ROOT_FIELDS: ReadonlySet<string> = new Set(['userByPhone', 'logIn', 'addBusinessMember']);

/**
 * Does the operation select a sensitive root field, under any alias, inside
 * fragments too? `@skip`/`@include` are ignored on purpose: a field that might
 * run counts as run.
 */
export function selectsSensitiveField(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  const visited = new Set<string>();
  const selects = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return SENSITIVE_ROOT_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visited.has(selection.name.value)) return false;
      visited.add(selection.name.value);
      return selects(fragment);
    });
  return selects(operation.selectionSet);
}
