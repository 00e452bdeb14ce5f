import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { Kind, print, visit, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { completeResponse, findDenials, refusal, satisfies, withoutDenied, type Caller } from './enforce';
import { introspectPublicly, seesStaffSurface } from './public-schema';
import type { AccessRules, Requirement } from './rules';

/** Who may introspect: everyone (sandbox), or callers holding a scope (production). */
export type IntrospectionPolicy = { open: true } | { open: false; scope: string };

export interface AuthorizationOptions {
  rules: AccessRules;
  introspection: IntrospectionPolicy;
  /** The caller of a request, from its context. */
  callerOf: (context: GatewayGraphQLRequestContext['context']) => Caller;
  /** The schema without the staff surface (console.md): what introspection shows a caller without a staff token. */
  publicSchema?: GraphQLSchema;
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
 * Introspection, where closed, needs its scope for the whole operation;
 * without a staff token it is answered from the public schema.
 */
export function authorizingExecutor(execute: GatewayExecutor, options: AuthorizationOptions): GatewayExecutor {
  const verdicts = new VerdictCache();
  return async (requestContext) => {
    const caller = options.callerOf(requestContext.context);
    const { document, schema } = requestContext;
    const operationName = requestContext.operationName ?? undefined;
    const verdict = verdicts.of(schema, document, operationName, caller, () => {
      if (!options.introspection.open && selectsIntrospection(document)) {
        const requirement: Requirement = { authenticated: false, scopes: [[options.introspection.scope]] };
        if (!satisfies(requirement, caller)) return { introspectionDenied: requirement, denials: new Map() };
      }
      const denials = findDenials(schema, document, options.rules, caller);
      if (denials.size === 0) return { denials };
      const rewritten = withoutDenied(schema, document, operationName, denials);
      return { denials, rewritten: rewritten && planned(rewritten, operationName) };
    });
    if (verdict.introspectionDenied) return { errors: [refusal(verdict.introspectionDenied, caller, 'Introspection (off in production)')] };
    if (options.publicSchema && !seesStaffSurface(caller.scopes) && selectsIntrospection(document)) {
      return introspectPublicly(options.publicSchema, document, operationName, requestContext.request.variables);
    }
    const { denials, rewritten } = verdict;
    if (denials.size === 0) return execute(requestContext);
    const fetched = rewritten ? await execute({ ...requestContext, ...rewritten }) : { data: {} };
    return completeResponse({ schema, document, operationName, variables: requestContext.request.variables, fetched, denials, caller });
  };
}

/** What the rules say of one document for one kind of caller. */
interface Verdict {
  introspectionDenied?: Requirement;
  denials: Map<FieldNode, Requirement>;
  /** The document without the denied fields, as the gateway plans it; null when nothing is left to fetch. */
  rewritten?: Pick<GatewayGraphQLRequestContext, 'document' | 'source' | 'operation' | 'queryHash'> | null;
}

/** The request as the gateway should plan it: the rewritten document, and a query hash of that document, not of the original. */
function planned(document: DocumentNode, operationName: string | undefined): NonNullable<Verdict['rewritten']> {
  const source = print(document);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  )!;
  return { document, source, operation, queryHash: createHash('sha256').update(source).digest('hex') };
}

/**
 * Verdicts remembered per schema, per parsed document (Apollo Server hands
 * the same document object to every request with the same text), per
 * operation name and per kind of caller — signed in or not, and which
 * scopes: the rules look at nothing else. Apps send a few documents over
 * and over; each is walked (and, where fields are denied, rewritten and
 * printed) once per kind of caller instead of on every request.
 */
class VerdictCache {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Verdict>>>();

  of(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, caller: Caller, decide: () => Verdict): Verdict {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let byCaller = byDocument.get(document);
    if (!byCaller) byDocument.set(document, (byCaller = new Map()));
    const key = `${operationName ?? ''}\u0000${caller.authenticated}\u0000${[...caller.scopes].sort().join(' ')}`;
    let verdict = byCaller.get(key);
    if (!verdict) {
      verdict = decide();
      // Bounded per document: scope sets are few, but a document must not hoard every combination a caller can make up.
      if (byCaller.size >= 64) byCaller.clear();
      byCaller.set(key, verdict);
    }
    return verdict;
  }
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
