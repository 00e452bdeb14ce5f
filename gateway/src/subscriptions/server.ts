import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { ErrorCode } from '@harbour/errors';
import { revokedSessionsChannel, type Identity } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import { languageOf, type Language } from '@harbour/server';
import { getArgumentValues } from 'graphql/execution/values';
import { GraphQLError, getOperationAST, parse, print, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth';
import { callerOf, subscriptionRefusal, type AccessRules } from '../authz';
import type { GatewayContext } from '../context';
import type { OperationDocuments } from '../documents';
import { checkOperation, checkTokens, type OperationLimits } from '../limits/limits';
import { countedSubscription, countErrors, type GatewayMetrics } from '../observability';
import type { GatewayRateLimit } from '../rate-limit';
import { LiveChannels, type LiveMessage } from './live-channels';
import { hydrationQuery, LIVE_ROOTS, MESSAGE_VARIABLE } from './live-roots';
import { UpdateQueue } from './queue';

export interface SubscriptionServerOptions {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  /** The API schema the gateway serves (operations are validated against it). */
  schema: () => GraphQLSchema | undefined;
  authenticator: Authenticator;
  redisUrl: string;
  redisKeyPrefix: string;
  /** The same operation limits as over HTTP. */
  limits: OperationLimits;
  /** @authenticated and @requiresScopes of the supergraph: checked on the subscription field here, on the rest when each update is completed. */
  accessRules?: AccessRules;
  /** Which operations run, as over HTTP: texts found by `extensions.persistedQuery` hash, trusted documents. */
  documents?: OperationDocuments;
  /** Each subscribe counts against the user's and the IP's rate limits, as an HTTP request does. */
  rateLimit?: GatewayRateLimit;
  metrics?: GatewayMetrics | undefined;
  logger: Logger;
  path?: string;
  /** Updates waiting per subscription before it is ended (default 100). */
  queueCapacity?: number;
  /** Ping interval; a socket that does not answer within it is dropped (default 12 s). */
  keepAliveMs?: number;
  /**
   * How often an open socket's session is checked for revocation (default
   * 15 s): the backstop for a revocation whose message this gateway missed.
   */
  revocationCheckMs?: number;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  identity?: Extract<Identity, { kind: 'user' }>;
  scopes?: string[];
};

interface SubscriptionContext {
  identity: Extract<Identity, { kind: 'user' }>;
  scopes: readonly string[];
  language: Language;
}

const RECENT_IDS = 256;
/** Refusals of one operation that reach the client as they are. */
const REFUSALS = new Set<unknown>([ErrorCode.OPERATION_TOO_COMPLEX, ErrorCode.OPERATION_NOT_TRUSTED, ErrorCode.PERSISTED_QUERY_NOT_FOUND]);
/** How long a completed update is shared with other subscribers who would get exactly the same answer. */
const SHARED_RESULT_MS = 5_000;

/**
 * Federated subscriptions over graphql-ws (`graphql-transport-ws`) on the
 * gateway's own port and path. The access token travels in
 * `connection_init` (`{ authorization: "Bearer …" }`); a missing, bad or
 * revoked one closes the socket with 4403, and so does its expiry (4403, not
 * 4401: graphql-ws clients retry 4403 with a fresh token). A revocation
 * closes every socket of the session (4403) the moment the user subgraph
 * publishes it; a periodic check of each socket's session catches one whose
 * message was lost. Each update is completed through the query plan with the
 * subscriber's identity.
 */
export function attachSubscriptions(options: SubscriptionServerOptions) {
  const channels = new LiveChannels(options.redisUrl, options.logger, options.metrics);
  const capacity = options.queueCapacity ?? 100;
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path ?? '/graphql' });

  /** The open sockets of each session, so that a revocation closes exactly these. */
  const sessions = new Map<string, Set<WebSocket>>();
  const closeSession = (sessionId: string) => {
    for (const socket of [...(sessions.get(sessionId) ?? [])]) socket.close(CloseCode.Forbidden, 'Session revoked');
  };
  const checkSession = (sessionId: string) => {
    options.authenticator.isRevoked(sessionId).then((revoked) => revoked && closeSession(sessionId), () => undefined);
  };
  channels.listen(
    revokedSessionsChannel(options.redisKeyPrefix),
    (message) => closeSession(message.id),
    // Back from a Redis outage: a revocation published meanwhile was not heard, so every open session is checked now.
    () => [...sessions.keys()].forEach(checkSession),
  );

  /**
   * One update completed once for all the sockets that would get the same
   * answer: the same user (permissions are per user), language, operation and
   * variables — a merchant's phone, tablet and till, say. Anyone else gets
   * their own completion, with their own permission check.
   */
  const shared = new Map<string, Promise<ExecutionResult>>();
  function hydrateShared(updateId: string, query: string, variables: Record<string, unknown>, operationName: string | undefined, context: SubscriptionContext): Promise<ExecutionResult> {
    const key = JSON.stringify([updateId, context.identity.userId, context.scopes, context.language, query, variables, operationName ?? null]);
    let result = shared.get(key);
    if (!result) {
      result = hydrate(query, variables, operationName, context);
      shared.set(key, result);
      setTimeout(() => shared.delete(key), SHARED_RESULT_MS).unref();
    }
    return result;
  }

  async function hydrate(query: string, variables: Record<string, unknown>, operationName: string | undefined, context: SubscriptionContext): Promise<ExecutionResult> {
    const requestId = randomUUID();
    const response = await options.apollo.executeOperation(
      { query, variables, ...(operationName ? { operationName } : {}) },
      { contextValue: { identity: context.identity, scopes: context.scopes, requestId, language: context.language, logger: options.logger.child({ requestId }) } },
    );
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by subscriptions.');
    const { data, errors } = response.body.singleResult;
    // graphql-ws serialises errors with toJSON(): back from their formatted (already masked) form to GraphQLError.
    return {
      data: data as ExecutionResult['data'],
      ...(errors ? { errors: errors.map((error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions })) } : {}),
    };
  }

  async function subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    const context = args.contextValue as SubscriptionContext;
    const operation = getOperationAST(args.document, args.operationName);
    const field = operation?.selectionSet.selections[0] as FieldNode | undefined;
    const root = field ? LIVE_ROOTS[field.name.value] : undefined;
    const fieldDefinition = field ? args.schema.getSubscriptionType()?.getFields()[field.name.value] : undefined;
    if (!operation || !field || !root || !fieldDefinition) {
      return { errors: [new GraphQLError('This subscription is not served.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })] };
    }
    const refused = options.accessRules && subscriptionRefusal(options.accessRules, args.schema, fieldDefinition, callerOf(context));
    if (refused) return { errors: [refused] };
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldArguments = getArgumentValues(fieldDefinition, field, variables);
    // Printed once per subscription, not once per update.
    const query = print(hydrationQuery(args.document, operation, field, root));
    const operationName = operation.name?.value;
    const run = (message?: LiveMessage) => {
      const id = message && root.argumentFromMessage?.(message);
      const queryVariables = id ? { ...variables, [MESSAGE_VARIABLE]: id } : variables;
      // The current state is each subscriber's own (it is also the permission check); updates may be shared.
      return message ? hydrateShared(message.id, query, queryVariables, operationName, context) : hydrate(query, queryVariables, operationName, context);
    };

    const queue = new UpdateQueue<LiveMessage>(capacity, root.coalesce);
    // Who may listen, when the updates do not say it themselves: asked when it opens, and again when their membership changes.
    const { access } = root;
    const refusalOf = async (): Promise<ExecutionResult | undefined> => {
      if (!access) return undefined;
      const answer = await hydrate(access.query, access.variables(fieldArguments), undefined, context);
      if (answer.errors?.length) return { errors: answer.errors };
      if (Object.values(answer.data ?? {}).some((value) => value == null)) {
        return { errors: [new GraphQLError('Not found.', { extensions: { code: ErrorCode.NOT_FOUND } })] };
      }
      return undefined;
    };
    const recheck = () => {
      refusalOf().then(
        (refusal) => refusal && queue.finish({ id: 'access-refused', refusal }),
        (error: unknown) => options.logger.warn({ err: error }, 'live updates: could not recheck a subscriber'),
      );
    };

    // Listening starts before anything is read or checked, so that a change made while the subscription opens (a
    // payment, a removal from the business) is heard: a change before the read is in what is read, one after it is heard.
    const rechecks = access
      ? channels.listen(
          `${options.redisKeyPrefix}${access.recheck.channel}`,
          (message) => access.recheck.concerns(message, fieldArguments, context.identity.userId) && recheck(),
          // A change announced during a Redis outage was not heard: ask again.
          () => recheck(),
        )
      : undefined;
    const seen = new Set<string>();
    let reading = !root.emitsCurrentState;
    const changes = channels.listen(
      `${options.redisKeyPrefix}${root.channel(fieldArguments, context.identity.userId)}`,
      (message) => {
        // Heard before the current state was read (on a channel another socket already held): that state includes it.
        if (!reading) return;
        // Delivery upstream is at least once; each change is pushed once.
        if (seen.has(message.id)) return;
        seen.add(message.id);
        if (seen.size > RECENT_IDS) seen.delete(seen.values().next().value!);
        queue.push(message);
      },
      // Back from a Redis outage: a subscription that emits its current state does so again (a change made meanwhile
      // is not lost); the others go on with new updates (missed notifications are in MyNotifications).
      root.emitsCurrentState ? (resumeId) => queue.push({ id: resumeId }) : undefined,
    );
    const stopAll = () => {
      rechecks?.();
      changes();
      queue.end();
    };

    let first: ExecutionResult | undefined;
    try {
      await Promise.all([rechecks?.ready, changes.ready]);
      // The current state first: it is also the permission check (FORBIDDEN for a non-member ends it here).
      if (root.emitsCurrentState) {
        reading = true;
        first = await run();
        const responseKey = field.alias?.value ?? field.name.value;
        if (first.errors?.length && (first.data as Record<string, unknown> | null | undefined)?.[responseKey] == null) {
          stopAll();
          return first;
        }
      }
      const notAllowed = await refusalOf();
      if (notAllowed) {
        stopAll();
        return notAllowed;
      }
    } catch (error) {
      stopAll();
      throw error;
    }

    const updates = (async function* updates(): AsyncGenerator<ExecutionResult> {
      try {
        if (first) yield first;
        for await (const message of queue) {
          // The subscriber lost access: their last message is the refusal, then the subscription ends.
          if (message.refusal) return yield message.refusal as ExecutionResult;
          yield await run(message);
        }
      } finally {
        stopAll();
      }
    })();
    // A generator's return() waits for the update it awaits: ending the queue first stops listening now, not at the next update.
    const stop = updates.return.bind(updates);
    updates.return = (value) => {
      queue.end();
      return stop(value);
    };
    return countedSubscription(options.metrics, operationName, updates);
  }

  const loadedSchema = () => {
    const schema = options.schema();
    if (!schema) throw new Error('The supergraph is not loaded yet.');
    return schema;
  };

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema: loadedSchema,
      onConnect: async (ctx) => {
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        try {
          const { identity, expiresAt, scopes } = await options.authenticator.authenticateUntil(authorization);
          const { socket } = ctx.extra;
          // Gone while its token was checked: nothing to keep track of.
          if (identity.kind !== 'user' || socket.readyState !== socket.OPEN) return false;
          ctx.extra.identity = identity;
          ctx.extra.scopes = scopes;
          const { sessionId } = identity;
          let open = sessions.get(sessionId);
          if (!open) sessions.set(sessionId, (open = new Set()));
          open.add(socket);
          const timers: NodeJS.Timeout[] = [setInterval(() => checkSession(sessionId), options.revocationCheckMs ?? 15_000)];
          if (expiresAt) timers.push(setTimeout(() => socket.close(CloseCode.Forbidden, 'Token expired'), Math.max(0, expiresAt * 1000 - Date.now())));
          for (const timer of timers) timer.unref();
          socket.once('close', () => {
            timers.forEach((timer) => clearTimeout(timer));
            open.delete(socket);
            if (open.size === 0 && sessions.get(sessionId) === open) sessions.delete(sessionId);
          });
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        let kind: string | undefined;
        let query = payload.query;
        let document: DocumentNode;
        try {
          // The same limits as over HTTP, before anything is planned.
          checkTokens(payload.query, options.limits);
          if (options.documents) query = await options.documents.subscriptionQuery(payload);
          document = parse(query);
          const operation = getOperationAST(document, payload.operationName ?? undefined);
          kind = operation?.operation;
          const schema = options.schema();
          if (operation && schema) checkOperation(schema, document, operation, (payload.variables ?? {}) as Record<string, unknown>, options.limits);
        } catch (error) {
          if (error instanceof GraphQLError && REFUSALS.has(error.extensions.code)) return [error];
          // Answered on this operation alone: left to graphql-ws, a syntax error would close the whole socket.
          return [new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
        }
        if (kind !== 'subscription') {
          return [new GraphQLError('Send queries and mutations over HTTP; this socket carries subscriptions.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })];
        }
        // Refused on this operation alone: the socket and its other subscriptions stay.
        const refusal = await options.rateLimit?.admitSubscription(ctx.extra.request, ctx.extra.identity!);
        if (refusal) return [refusal];
        if (query === payload.query) return undefined;
        // Found by hash: graphql-ws would parse the empty `query`, so it gets the document, validated here as it would.
        const schema = loadedSchema();
        const invalid = validate(schema, document);
        return invalid.length ? invalid : { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx): SubscriptionContext => ({ identity: ctx.extra.identity!, scopes: ctx.extra.scopes ?? [], language: languageOf(ctx.extra.request) }),
      subscribe,
      // Every error a subscriber receives, counted by code as over HTTP.
      onError: (_ctx, _id, _payload, errors) => countErrors(options.metrics, errors),
      onNext: (_ctx, _id, _payload, _args, result) => countErrors(options.metrics, result.errors ?? []),
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    /** Completes every subscription and closes every socket (1001 Going away), then stops listening. */
    async dispose() {
      await server.dispose();
      await channels.close();
    },
  };
}
