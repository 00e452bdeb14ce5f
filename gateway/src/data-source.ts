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
      return await traceSubgraphFetch(this.serviceName, () => super.process(options));
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      // An open circuit was logged when it opened; each refused or timed-out fetch is logged with its request.
      if (error.reason !== 'circuit_open' && 'context' in options && 'logger' in options.context) {
        (options.context as GatewayContext).logger.warn({ subgraph: this.serviceName, reason: error.reason, err: error.cause }, 'subgraph unavailable');
      }
      return unavailableAnswer(this.serviceName, options.request, 'document' in options ? options.document : undefined);
    }
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) return;
    // Health checks and schema loading have no request context; real requests always do.
    const context = 'context' in options && 'requestId' in options.context ? (options.context as GatewayContext) : undefined;
    const identity: Identity = context?.identity ?? { kind: 'service', service: 'gateway' };
    headers.set(IDENTITY_HEADER, await this.signedIdentity(context, identity));
    if (context) {
      headers.set('x-request-id', context.requestId);
      headers.set('accept-language', context.language);
    }
    // W3C trace context: the subgraph's log lines (and spans) join this request's trace.
    for (const [name, value] of Object.entries(traceHeaders(context?.trace))) headers.set(name, value);
  }

  /**
   * A subgraph refuses a request before executing it with HTTP 400 when an
   * input fails its scalar's rules (a Decimal with three decimals, a DateTime
   * without an offset): the gateway's schema only knows these scalars by
   * name. Such an answer carries the contract's BAD_USER_INPUT; pass it on as
   * that, not as an internal error.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: unknown } | undefined)?.body as { errors?: GraphQLFormattedError[] } | undefined;
    const first = body?.errors?.[0];
    if (response.status === 400 && first && isContractCode(first.extensions?.code)) {
      return new GraphQLError(first.message, { extensions: { code: first.extensions!.code, serviceName: this.serviceName } });
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
