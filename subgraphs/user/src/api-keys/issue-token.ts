import { ACCESS_TOKEN_TTL_SECONDS, signMachineToken } from '@harbour/identity';
import type { UserServices } from '../services';
import { LAST_USED_EVERY_MS, scopesOf } from './rules';
import { sameHash, secretHash } from './secrets';

/** What the gateway's `POST /oauth/token` asks, once it has read the client's credentials (Basic or form). */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** The `scope` parameter as sent (space-separated), or undefined for all of the key's. */
  scope?: string;
}

/** The token response of RFC 6749 §5.1, or which §5.2 error the gateway must answer. */
export type TokenAnswer =
  | { ok: true; access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }
  | { ok: false; error: 'invalid_client' | 'invalid_scope'; error_description: string };

/** Longer than any key id or secret this subgraph makes: anything longer is not one, unread. */
const MAX_CREDENTIAL_LENGTH = 200;

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces. */
const SCOPE_SYNTAX = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

const invalidClient = (): TokenAnswer => ({ ok: false, error: 'invalid_client', error_description: 'The client id or secret is wrong, or the key is revoked.' });

/**
 * Issues a machine token for an API key (OAuth 2.0 client credentials,
 * partners.md). The secret's hash is compared in constant time with the
 * stored one, and a hash is computed even for an unknown id, so timing tells
 * nothing about which ids exist. A revoked key, or a key of the other mode
 * (a sandbox key against production), is `invalid_client`; a scope the key
 * does not carry is `invalid_scope`. `lastUsedAt` moves at most once a
 * minute: the condition is in the UPDATE itself, so concurrent token
 * requests write it once.
 */
export async function issueMachineToken(services: UserServices, request: TokenRequest, now: Date = new Date()): Promise<TokenAnswer> {
  if (request.clientId.length > MAX_CREDENTIAL_LENGTH || request.clientSecret.length > MAX_CREDENTIAL_LENGTH) return invalidClient();
  const presented = secretHash(request.clientSecret, services.apiKeys.hashKey);
  const key = await services.store.apiKey.findUnique({ where: { id: request.clientId } });
  const matches = sameHash(key?.secretHash ?? '0'.repeat(64), presented);
  if (!key || !matches || key.revokedAt !== null || key.mode !== services.apiKeys.mode) return invalidClient();

  const granted = scopesOf(key.scopes);
  let scopes = granted;
  if (request.scope !== undefined && request.scope !== '') {
    if (!SCOPE_SYNTAX.test(request.scope)) return { ok: false, error: 'invalid_scope', error_description: 'scope must be scope names separated by single spaces.' };
    const asked = [...new Set(request.scope.split(' '))];
    const beyond = asked.filter((scope) => !(granted as readonly string[]).includes(scope));
    if (beyond.length > 0) return { ok: false, error: 'invalid_scope', error_description: `This key does not carry ${beyond.map((scope) => JSON.stringify(scope.slice(0, 64))).join(', ')}; it carries ${granted.join(' ')}.` };
    scopes = granted.filter((scope) => asked.includes(scope));
  }

  const accessToken = await signMachineToken({ apiKeyId: key.id, businessId: key.businessId, scopes }, services.signingKeys.current(), services.tokenAudience, now);
  await services.store.apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_EVERY_MS) } }] },
    data: { lastUsedAt: now },
  });
  return { ok: true, access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: scopes.join(' ') };
}

/** The internal route's body, checked: the gateway sends strings, anything else is a bug or a forgery. */
export function parseTokenRequest(body: unknown): TokenRequest | null {
  if (typeof body !== 'object' || body === null) return null;
  const { clientId, clientSecret, scope } = body as Record<string, unknown>;
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || (scope !== undefined && typeof scope !== 'string')) return null;
  return { clientId, clientSecret, ...(scope !== undefined ? { scope } : {}) };
}
