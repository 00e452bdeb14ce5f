import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@harbour/identity';
import type { GatewayContext } from './context';
import { EntityFetchCoalescer } from './entity-batching';

/**
 * A subgraph as the gateway calls it: every request carries the caller's
 * identity signed with the internal secret (subgraphs trust nothing else),
 * the request id, and the caller's language.
 */
export class HarbourDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly entityFetches = new EntityFetchCoalescer<GatewayContext>((options) => super.process(options));

  constructor(
    options: { name: string; url: string },
    private readonly identitySecret: Uint8Array,
  ) {
    super({ url: options.url });
  }

  /** Identical entity fetches of one operation go to the subgraph as one request (see EntityFetchCoalescer). */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    return this.entityFetches.fetch(options, 'context' in options ? options.context : undefined);
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
  }

  /** One signature per request, shared by all its subgraph fetches. */
  private signedIdentity(context: GatewayContext | undefined, identity: Identity): Promise<string> {
    if (!context) return signIdentity(identity, this.identitySecret, 'gateway');
    context.signedIdentity ??= signIdentity(identity, this.identitySecret, 'gateway');
    return context.signedIdentity;
  }
}
