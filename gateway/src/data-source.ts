import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { isContractCode } from '@harbour/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@harbour/identity';
import type { GatewayContext } from './context';
import { EntityFetchCoalescer } from './entity-batching';
import { traceHeaders, traceSubgraphFetch } from './observability';
import { SubgraphUnavailableError, unavailableAnswer, type SubgraphClient } from './subgraph-client';

/** As RemoteGraphQLDataSource reads a subgraph's Cache-Control: max-age (0 without one), private or public. */
function cacheHintOf(header: string | null | undefined): { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } {
  const directives = new Map(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split('=') as [string, string | undefined])
      .filter(([name]) => name !== ''),
  );
  const maxAge = directives.get('max-age');
  return {
    maxAge: maxAge && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.has('private') ? { scope: 'PRIVATE' as const } : directives.has('public') ? { scope: 'PUBLIC' as const } : {}),
  };
}

/**
 * A subgraph as the gateway calls it: every request carries the caller's
 * identity signed with the internal secret (subgraphs trust nothing else),
 * the request id, the caller's language, and the trace context.
 */
export class HarbourDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly entityFetches = new EntityFetchCoalescer<GatewayContext>((options) => this.send(options));

  private readonly serviceName: string;

  /** `client` (pooled connections, deadline, retries, circuit breaker) replaces Apollo's default fetcher when given. */
  constructor(
    options: { name: string; url: string; client?: SubgraphClient },
    private readonly identitySecret: Uint8Array,
  ) {
    super(options.client ? { url: options.url, fetcher: options.client.fetcher } : { url: options.url });
    this.serviceName = options.name;
  }

  /** Identical entity fetches of one operation go to the subgraph as one request (see EntityFetchCoalescer). */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    return this.entityFetches.fetch(options, 'context' in options ? options.context : undefined);
  }

  /**
   * A subgraph that cannot be reached costs only the fields it would have
   * filled: they come back null with SUBGRAPH_UNAVAILABLE naming it, and the
   * rest of the operation is answered as usual.
   */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await traceSubgraphFetch(this.serviceName, () => this.fetchFromSubgraph(options));
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      // An open circuit was logged when it opened; each refused or timed-out fetch is logged with its request.
      if (error.reason !== 'circuit_open' && 'context' in options && 'logger' in options.context) {
        (options.context as GatewayContext).logger.warn({ subgraph: this.serviceName, reason: error.reason, err: error.cause }, 'subgraph unavailable');
      }
      return unavailableAnswer(this.serviceName, options.request, 'document' in options ? options.document : undefined);
    }
  }

  /**
   * What RemoteGraphQLDataSource.process does, without its node-fetch
   * `Headers` and the node-fetch `Request` it builds for every fetch only to
   * hand to error hooks (both showed in the gateway's CPU profile): the
   * request's headers as a plain object, the body as JSON, the answer parsed,
   * and the overall cache policy restricted by the subgraph's Cache-Control.
   */
  private async fetchFromSubgraph(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { http, ...request } = options.request;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    for (const [name, value] of http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    // Health checks and schema loading have no request context; real requests always do.
    const context = 'context' in options && 'requestId' in options.context ? (options.context as GatewayContext) : undefined;
    Object.assign(headers, await this.harbourHeaders(context));
    const response = await this.fetcher(this.url, { method: 'POST', headers, body: JSON.stringify(request) });
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response);
    if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    // Only an incoming operation has a request context (health checks and schema loading do not).
    if ('incomingRequestContext' in options) {
      const policy = options.incomingRequestContext.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict(cacheHintOf(response.headers.get('cache-control')));
    }
    return { ...body, http: response };
  }

  /** The caller's signed identity, the request id, the language and the trace context. */
  private async harbourHeaders(context: GatewayContext | undefined): Promise<Record<string, string>> {
    const identity: Identity = context?.identity ?? { kind: 'service', service: 'gateway' };
    const headers: Record<string, string> = { [IDENTITY_HEADER]: await this.signedIdentity(context, identity) };
    if (context) {
      headers['x-request-id'] = context.requestId;
      headers['accept-language'] = context.language;
    }
    // W3C trace context: the subgraph's log lines (and spans) join this request's trace.
    return Object.assign(headers, traceHeaders(context?.trace));
  }

  /**
   * A subgraph refuses a request before executing it with HTTP 400 when an
   * input fails its scalar's rules (a Decimal with three decimals, a DateTime
   * without an offset): the gateway's schema only knows these scalars by
   * name; so does a string with a lone surrogate. Such an answer carries the
   * contract's BAD_USER_INPUT, and `field` when the subgraph named the input;
   * pass it on as that, not as an internal error.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: unknown } | undefined)?.body as { errors?: GraphQLFormattedError[] } | undefined;
    const first = body?.errors?.[0];
    if (response.status === 400 && first && isContractCode(first.extensions?.code)) {
      const field = first.extensions!.field;
      return new GraphQLError(first.message, {
        extensions: { code: first.extensions!.code, ...(typeof field === 'string' ? { field } : {}), serviceName: this.serviceName },
      });
    }
    return error;
  }

  /** One signature per request, shared by all its subgraph fetches. */
  private signedIdentity(context: GatewayContext | undefined, identity: Identity): Promise<string> {
    if (!context) return signIdentity(identity, this.identitySecret, 'gateway');
    context.signedIdentity ??= signIdentity(identity, this.identitySecret, 'gateway');
    return context.signedIdentity;
  }
}
