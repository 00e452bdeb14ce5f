import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import type { LiveMessage } from './live-channels';

/**
 * How the gateway serves each subscription root field. The owning subgraph
 * declares the field (and publishes its changes on Redis after commit); the
 * gateway listens on the field's channel and completes every update by
 * running the subscriber's own selection through the federation query plan,
 * as a query on `queryField`, with the subscriber's identity — so any field,
 * from any subgraph, can be selected, and permission is checked for each
 * subscriber on each update.
 */
export interface LiveRoot {
  /** The Query field that answers the current state of what changed. */
  queryField: string;
  /** The channel (after REDIS_KEY_PREFIX) carrying this subscription's updates. */
  channel(args: Record<string, unknown>, userId: string): string;
  /**
   * When the query needs the message's id as its `id` argument: instead of
   * the subscription's own arguments, or (`keepArguments`) beside them.
   */
  argumentFromMessage?: (message: LiveMessage) => string | undefined;
  keepArguments?: boolean;
  /**
   * Who may keep listening, when the updates themselves do not say it (a
   * subscription that does not emit its current state): a query run with
   * the subscriber's identity when they subscribe, and again whenever a
   * message on `recheck.channel` concerns them. Any error ends the
   * subscription with that error (e.g. FORBIDDEN for a removed member).
   */
  access?: {
    query: string;
    variables(args: Record<string, unknown>): Record<string, unknown>;
    recheck: { channel: string; concerns(message: LiveMessage, args: Record<string, unknown>, userId: string): boolean };
  };
  /** Emit the current state before any change (so a reconnecting client misses nothing). */
  emitsCurrentState: boolean;
  /** Only the newest waiting update matters (each is completed into the current state). */
  coalesce: boolean;
}

export const LIVE_ROOTS: Readonly<Record<string, LiveRoot>> = {
  paymentRequestUpdated: {
    queryField: 'paymentRequest',
    channel: (args) => `payment-request-updated:${String(args.id)}`,
    emitsCurrentState: true,
    coalesce: true,
  },
  businessPaymentReceived: {
    queryField: 'receivedPayment',
    channel: (args) => `business-payment-received:${String(args.businessId)}`,
    argumentFromMessage: (message) => (typeof message.paymentId === 'string' ? message.paymentId : undefined),
    keepArguments: true,
    emitsCurrentState: false,
    coalesce: false,
    access: {
      // Business.role answers FORBIDDEN to anyone who is not a member (now: the business subgraph decides).
      query: 'query HarbourBusinessMemberCheck($businessId: ID!) { business(id: $businessId) { id role } }',
      variables: (args) => ({ businessId: args.businessId }),
      // What the payment subgraph announces for every business.membership_changed event.
      recheck: {
        channel: 'business-membership-changed',
        concerns: (message, args, userId) => message.businessId === args.businessId && message.userId === userId,
      },
    },
  },
  notificationAdded: {
    queryField: 'notification',
    channel: (_args, userId) => `notification-added:${userId}`,
    argumentFromMessage: (message) => (typeof message.notificationId === 'string' ? message.notificationId : undefined),
    emitsCurrentState: false,
    coalesce: false,
  },
};

/** The variable that carries a message's id into the query. */
export const MESSAGE_VARIABLE = '__harbourLiveId';

/**
 * The subscriber's operation as a query: `sub { x: paymentRequestUpdated(id: $id) { ... } }`
 * becomes `query { x: paymentRequest(id: $id) { ... } }`, fragments and
 * variables kept; the answer has the shape the subscriber asked for.
 */
export function hydrationQuery(document: DocumentNode, operation: OperationDefinitionNode, field: FieldNode, root: LiveRoot): DocumentNode {
  const byMessage = root.argumentFromMessage !== undefined;
  const queryFieldNode: FieldNode = {
    ...field,
    alias: field.alias ?? { kind: Kind.NAME, value: field.name.value },
    name: { kind: Kind.NAME, value: root.queryField },
    arguments: byMessage
      ? [
          ...(root.keepArguments ? (field.arguments ?? []) : []),
          { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: MESSAGE_VARIABLE } } },
        ]
      : field.arguments,
  };
  const messageVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: MESSAGE_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const query: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [...(operation.variableDefinitions ?? []), ...(byMessage ? [messageVariable] : [])],
    selectionSet: { ...operation.selectionSet, selections: [queryFieldNode] },
  };
  return { ...document, definitions: document.definitions.map((definition) => (definition === operation ? query : definition)) };
}
