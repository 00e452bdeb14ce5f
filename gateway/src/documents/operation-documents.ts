import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { operationNotTrusted, persistedQueryNotFound } from '@harbour/errors';
import type { TrustedDocuments } from './trusted-documents';

/** `off`: any operation, and APQ registers new ones; `enforce`: only the manifests' operations. */
export type TrustedDocumentsMode = 'off' | 'enforce';

/** Apollo Server puts this before every APQ key it reads or writes; manifest ids are plain. */
const APOLLO_APQ_PREFIX = 'apq:';

/** What the gateway needs of one GraphQL request: a JSON body's fields, GET parameters, a graphql-ws subscribe payload. */
interface OperationRequest {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

const hashOf = (extensions: unknown): string | undefined => {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
};

const isObject = (value: unknown): value is OperationRequest => typeof value === 'object' && value !== null;

function jsonOrUndefined(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The operations of an HTTP request: a JSON body (an array if batched), else the GET parameters. */
function requestsOf(body: unknown, search: string): OperationRequest[] {
  if (Array.isArray(body)) return body.map((request) => (isObject(request) ? request : {}));
  if (isObject(body)) return [body];
  const params = new URLSearchParams(search);
  return [{ query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, extensions: jsonOrUndefined(params.get('extensions')) }];
}

export type OperationDocumentsOptions =
  | { mode: 'enforce'; trusted: TrustedDocuments }
  | { mode: 'off'; trusted: TrustedDocuments; apq: KeyValueCache<string> };

/**
 * Which operation texts the gateway runs: the manifests' operations by id in
 * both modes; in `off` mode also any text, and APQ hashes registered by
 * earlier requests; in `enforce` mode nothing else (OPERATION_NOT_TRUSTED),
 * and APQ registers nothing. One rule for HTTP (checked before Apollo, next
 * to the token limit) and for graphql-ws subscriptions.
 */
export class OperationDocuments {
  constructor(private readonly options: OperationDocumentsOptions) {}

  get mode(): TrustedDocumentsMode {
    return this.options.mode;
  }

  /** Apollo Server's `persistedQueries.cache`: manifest bodies by id, then APQ registrations (`off` only). */
  readonly persistedQueryCache: KeyValueCache<string> = {
    get: async (key) => this.options.trusted.bodyOf(key.startsWith(APOLLO_APQ_PREFIX) ? key.slice(APOLLO_APQ_PREFIX.length) : key) ?? this.apq?.get(key),
    // In `enforce` mode a registration is only ever of a text already found trusted: there is nothing to add.
    set: async (key, value, options) => this.apq?.set(key, value, options),
    delete: async (key) => (await this.apq?.delete(key)) ?? false,
  };

  /** Refuses, in `enforce` mode, an HTTP request any of whose operations is not registered (before Apollo parses it). */
  readonly precheck = ({ body, search }: { body: unknown; search: string }): void => {
    if (this.options.mode !== 'enforce') return;
    for (const request of requestsOf(body, search)) {
      if (this.trustedText(request) === undefined) throw operationNotTrusted();
    }
  };

  /**
   * The text a graphql-ws subscribe payload runs: its query, or the one
   * registered under its `extensions.persistedQuery.sha256Hash` (graphql-ws
   * requires a `query` string, so a hash-only payload sends "").
   */
  async subscriptionQuery(payload: { query: string; operationName?: string | null; extensions?: unknown }): Promise<string> {
    if (this.options.mode === 'enforce') {
      const trusted = this.trustedText(payload);
      if (trusted === undefined) throw operationNotTrusted();
      return trusted;
    }
    const hash = hashOf(payload.extensions);
    if (payload.query || hash === undefined) return payload.query;
    const registered = await this.persistedQueryCache.get(`${APOLLO_APQ_PREFIX}${hash}`);
    if (registered === undefined) throw persistedQueryNotFound();
    return registered;
  }

  private get apq(): KeyValueCache<string> | undefined {
    return this.options.mode === 'off' ? this.options.apq : undefined;
  }

  /** A request's text if it is trusted: its own query if registered, else the body registered under its hash. */
  private trustedText({ query, operationName, extensions }: OperationRequest): string | undefined {
    if (typeof query === 'string' && query !== '') {
      return this.options.trusted.isTrusted(query, typeof operationName === 'string' ? operationName : undefined) ? query : undefined;
    }
    const hash = hashOf(extensions);
    return hash === undefined ? undefined : this.options.trusted.bodyOf(hash);
  }
}
