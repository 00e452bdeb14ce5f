import { createLocalJWKSet, errors as joseErrors, type FlattenedJWSInput, type JWK, type JWSHeaderParameters, type JWTVerifyGetKey, type KeyLike } from 'jose';

export interface RemoteKeySetOptions {
  url: string;
  /** The least time between two fetches, however many unknown `kid`s arrive (default 1 s). */
  cooldownMs?: number;
  /** After this the keys are fetched again in the background, so withdrawn keys stop verifying (default 10 min). */
  maxAgeMs?: number;
  timeoutMs?: number;
  /** Called when a fetch fails (the keys already held stay in use). */
  onFetchError?: (error: unknown) => void;
}

/** A JWKS fetched over HTTP and held in memory, as `jwtVerify` takes it. */
export interface RemoteKeySet {
  getKey: JWTVerifyGetKey;
  /** Fetches the keys now unless they were fetched already; true when keys are held. */
  ensureLoaded(): Promise<boolean>;
  /**
   * Is this `kid` among the keys held now? For callers that remember tokens
   * they verified: a withdrawn key stops them too. Starts the background
   * fetch when the keys are older than `maxAgeMs`, as `getKey` does.
   */
  holds(kid: string | undefined): boolean;
  /** The JWKS as last fetched (public keys), for republishing; undefined before the first fetch. */
  published(): { keys: JWK[] } | undefined;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * Holds the token issuer's JWKS. A token whose `kid` is not held makes one
 * fetch, shared by every request that arrives meanwhile — after a rotation
 * the new key is fetched once, not per request — and fetches are at least
 * `cooldownMs` apart, so made-up `kid`s cannot turn the gateway into a load
 * generator against the issuer (such a token waits for the next fetch, then
 * is refused).
 */
export function createRemoteKeySet(options: RemoteKeySetOptions): RemoteKeySet {
  const cooldownMs = options.cooldownMs ?? 1_000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  let local: LocalKeySet | undefined;
  let kids = new Set<string>();
  let publishedKeys: { keys: JWK[] } | undefined;
  let fetchedAt = 0;
  let lastAttemptAt = -Infinity;
  let inFlight: Promise<void> | undefined;
  let scheduled: Promise<void> | undefined;

  async function load(): Promise<void> {
    lastAttemptAt = Date.now();
    try {
      const response = await fetch(options.url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2_000), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`JWKS answered HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys array');
      local = createLocalJWKSet({ keys: body.keys as JWK[] });
      publishedKeys = { keys: body.keys as JWK[] };
      kids = new Set((body.keys as JWK[]).map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string'));
      fetchedAt = Date.now();
    } catch (error) {
      options.onFetchError?.(error);
    }
  }

  function fetchNow(): Promise<void> {
    inFlight ??= load().finally(() => (inFlight = undefined));
    return inFlight;
  }

  /** The next fetch allowed by the cooldown, shared by every caller until it starts. */
  function fetchSoon(): Promise<void> {
    scheduled ??= (async () => {
      await inFlight;
      const wait = lastAttemptAt + cooldownMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      scheduled = undefined;
      await fetchNow();
    })();
    return scheduled;
  }

  function refreshIfOld(): void {
    if (Date.now() - fetchedAt > maxAgeMs && !inFlight) void fetchNow();
  }

  async function getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike> {
    if (!local) await fetchNow();
    else refreshIfOld();
    if (header.kid !== undefined && !kids.has(header.kid)) {
      // A fetch already under way may bring it; otherwise one more, after the cooldown.
      if (inFlight) await inFlight;
      if (!kids.has(header.kid)) await fetchSoon();
    }
    if (!local) throw new joseErrors.JWKSNoMatchingKey();
    return local(header, token);
  }

  return {
    getKey,
    holds(kid) {
      if (!local || kid === undefined) return false;
      refreshIfOld();
      return kids.has(kid);
    },
    published: () => publishedKeys,
    async ensureLoaded() {
      if (!local) await fetchNow();
      return local !== undefined;
    },
  };
}
