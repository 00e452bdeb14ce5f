import { harbourError, ErrorCode } from '@harbour/errors';

/**
 * The `subscribe` of a subscription root field declared by a subgraph but
 * served by the gateway (over graphql-ws, from the subgraph's Redis
 * announcements): asked directly, the subgraph says where to go.
 */
export const servedByGateway = (): never => {
  throw harbourError(ErrorCode.BAD_REQUEST, 'Subscriptions are served by the gateway over graphql-ws (graphql-transport-ws).');
};
