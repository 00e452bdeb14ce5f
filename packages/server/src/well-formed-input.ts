import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, harbourError } from '@harbour/errors';
import { isWellFormedText } from './text';

/**
 * The name of an input in `variables` holding a string that is not
 * well-formed Unicode (the innermost input field's name, or the variable's
 * own), or undefined when every string is well-formed.
 */
export function illFormedInputName(variables: Readonly<Record<string, unknown>>): string | undefined {
  // Iterative: a client's JSON can nest deeper than the call stack.
  const pending: Array<[name: string, value: unknown]> = Object.entries(variables);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [name, value] = next;
    if (typeof value === 'string') {
      if (!isWellFormedText(value)) return name;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push([name, item]);
    } else if (value !== null && typeof value === 'object') {
      pending.push(...Object.entries(value));
    }
  }
  return undefined;
}

/**
 * The safety net under every string argument of a subgraph: a variable's
 * string with a lone UTF-16 surrogate (JSON can carry "\ud800"; GraphQL's
 * String accepts it) is refused before execution, the way a scalar refuses a
 * malformed value (HTTP 400, BAD_USER_INPUT naming the input), so it never
 * reaches a resolver or a store. String literals in the document need no
 * check: the GraphQL parser already refuses a lone surrogate there.
 */
export function wellFormedInputPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const field = illFormedInputName(request.variables ?? {});
          if (field !== undefined) {
            throw harbourError(ErrorCode.BAD_USER_INPUT, `${field} must be valid Unicode text (it has a lone UTF-16 surrogate).`, { field }, 400);
          }
        },
      };
    },
  };
}
