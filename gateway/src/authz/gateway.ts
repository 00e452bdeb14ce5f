import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { Kind, print, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { completeResponse, findDenials, refusal, satisfies, withoutDenied, type Caller } from './enforce';
import type { AccessRules, Requirement } from './rules';

/** Who may introspect: everyone (sandbox), or callers holding a scope (production). */
export type IntrospectionPolicy = { open: true } | { open: false; scope: string };

export interface AuthorizationOptions {
  rules: AccessRules;
  introspection: IntrospectionPolicy;
  /** The caller of a request, from its context. */
  callerOf: (context: GatewayGraphQLRequestContext['context']) => Caller;
}

const selectsIntrospection = (document: DocumentNode) => {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
};

/**
 * Wraps the gateway's executor so that the supergraph's `@authenticated` and
 * `@requiresScopes` hold before anything is planned: denied fields are taken
 * out of the operation (no subgraph hears of them) and answered null with
 * UNAUTHENTICATED or FORBIDDEN at their paths, the rest as usual. The
 * rewritten operation gets its own query hash, so the gateway's query-plan
 * cache never hands one caller's plan to a caller with other rights.
 * Introspection, where closed, needs its scope for the whole operation.
 */
export function authorizingExecutor(execute: GatewayExecutor, options: AuthorizationOptions): GatewayExecutor {
  return async (requestContext) => {
    const caller = options.callerOf(requestContext.context);
    const { document, schema } = requestContext;
    const operationName = requestContext.operationName ?? undefined;
    if (!options.introspection.open && selectsIntrospection(document)) {
      const requirement: Requirement = { authenticated: false, scopes: [[options.introspection.scope]] };
      if (!satisfies(requirement, caller)) {
        return { errors: [refusal(requirement, caller, 'Introspection (off in production)')] };
      }
    }
    const denials = findDenials(schema, document, options.rules, caller);
    if (denials.size === 0) return execute(requestContext);

    const rewritten = withoutDenied(schema, document, operationName, denials);
    const fetched = rewritten ? await execute(rewrittenContext(requestContext, rewritten)) : { data: {} };
    return completeResponse({ schema, document, operationName, variables: requestContext.request.variables, fetched, denials, caller });
  };
}

/** The request as the gateway should plan it: the rewritten document, and a query hash of that document, not of the original. */
function rewrittenContext(requestContext: GatewayGraphQLRequestContext, document: DocumentNode): GatewayGraphQLRequestContext {
  const source = print(document);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (requestContext.operationName === null || definition.name?.value === requestContext.operationName),
  )!;
  return { ...requestContext, document, source, operation, queryHash: createHash('sha256').update(source).digest('hex') };
}

/** The gateway with authorizingExecutor in front of its executor; everything else is the gateway's own. */
export function authorizingGateway(gateway: GatewayInterface, options: AuthorizationOptions): GatewayInterface {
  return {
    async load(loadOptions) {
      const { executor } = await gateway.load(loadOptions);
      return { executor: executor && authorizingExecutor(executor, options) };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  };
}
