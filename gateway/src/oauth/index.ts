import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCESS_TOKEN_ALGORITHM, PARTNER_SCOPES } from '@harbour/identity';
import type { Logger } from '@harbour/logger';
import { internalPostClient, PayloadTooLarge, readBody, sendJson, type RouteHandler } from '@harbour/server';
import type { GatewayRateLimit } from '../rate-limit';
import { claimedClientId, readTokenRequest, type TokenError } from './token-request';

/**
 * Machine tokens for partners' servers (partners.md): `POST /oauth/token`
 * (OAuth 2.0 client credentials, RFC 6749 §4.4, errors as §5.2), its metadata
 * (RFC 8414) and the public JWKS its tokens verify with.
 *
 * The gateway reads the request and keeps the rate limits; the user
 * subgraph, which owns API keys, checks the secret and signs the token with
 * the same rotating ES256 keys as users' tokens (service-boundaries.md:
 * gateway → user). A machine token then authenticates like any other (see
 * createAuthenticator): `biz` makes it a machine identity.
 */
export interface OAuthRoutesOptions {
  /** The user subgraph's URL (its GraphQL endpoint; the internal path is beside it). */
  userSubgraphUrl: string;
  identitySecret: Uint8Array;
  /** GATEWAY_PUBLIC_URL: the metadata names the endpoints under it. */
  publicUrl: string;
  /** JWT_ISSUER: the tokens' `iss`, and so the metadata's `issuer`. */
  issuer: string;
  rateLimit: GatewayRateLimit;
  /** The token-signing keys as last fetched from the user subgraph (public keys only). */
  publishedKeys: () => { keys: unknown[] } | undefined;
  logger: Logger;
}

export const TOKEN_PATH = '/oauth/token';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
export const JWKS_PATH = '/.well-known/jwks.json';

/** A token request is a few hundred bytes; anything near this is not one. */
const TOKEN_BODY_LIMIT_BYTES = 4 * 1024;

/** §5.1: token responses are never cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

type UserAnswer =
  | { ok: true; access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }
  | { ok: false; error: 'invalid_client' | 'invalid_scope'; error_description: string };

/** A §5.2 error: 401 with `WWW-Authenticate` for invalid_client (partners.md asks it for either way of sending credentials), 400 otherwise. */
function sendTokenError(res: ServerResponse, error: TokenError): void {
  if (error.error === 'invalid_client') return sendJson(res, 401, error, { ...NO_STORE, 'www-authenticate': 'Basic realm="harbour", charset="UTF-8"' });
  sendJson(res, 400, error, NO_STORE);
}

export function oauthRoutes(options: OAuthRoutesOptions): Record<string, RouteHandler> {
  const issue = internalPostClient('user', options.userSubgraphUrl, { caller: 'gateway', identitySecret: options.identitySecret, timeoutMs: 3_000 });
  const metadata = {
    issuer: options.issuer,
    token_endpoint: `${options.publicUrl}${TOKEN_PATH}`,
    jwks_uri: `${options.publicUrl}${JWKS_PATH}`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...PARTNER_SCOPES],
    // Client credentials only: there is no authorization endpoint, so no response type.
    response_types_supported: [],
    access_token_signing_alg_values_supported: [ACCESS_TOKEN_ALGORITHM],
    service_documentation: `${options.publicUrl}/graphql`,
  };

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req, TOKEN_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof PayloadTooLarge) return sendTokenError(res, { error: 'invalid_request', error_description: `A token request is at most ${TOKEN_BODY_LIMIT_BYTES} bytes.` });
      throw error;
    }
    const authorization = req.headers.authorization;
    const refusal = await options.rateLimit.admitTokenRequest(options.rateLimit.clientIp(req), claimedClientId(body, authorization));
    if (refusal) {
      // RFC 6749 has no code for this: 429 and Retry-After (RFC 6585) say it, the body in §5.2's shape.
      return sendJson(
        res,
        429,
        { error: 'invalid_request', error_description: `Too many token requests; try again in ${refusal.retryAfterSeconds} s.` },
        { ...NO_STORE, 'retry-after': String(refusal.retryAfterSeconds) },
      );
    }
    const request = readTokenRequest(req.headers['content-type'], body, authorization);
    if ('error' in request) return sendTokenError(res, request);
    let answer: UserAnswer;
    try {
      const response = await issue<UserAnswer>('/internal/oauth/token', { clientId: request.clientId, clientSecret: request.clientSecret, ...(request.scope !== undefined ? { scope: request.scope } : {}) });
      if (response.status !== 200) throw new Error(`the user subgraph answered HTTP ${response.status}`);
      answer = response.body;
    } catch (error) {
      options.logger.error({ err: error }, 'token request could not be answered');
      return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'Tokens cannot be issued right now; try again shortly.' }, { ...NO_STORE, 'retry-after': '1' });
    }
    if (!answer.ok) return sendTokenError(res, { error: answer.error, error_description: answer.error_description });
    sendJson(res, 200, { access_token: answer.access_token, token_type: answer.token_type, expires_in: answer.expires_in, scope: answer.scope }, NO_STORE);
  }

  return {
    [`POST ${TOKEN_PATH}`]: token,
    [`GET ${TOKEN_PATH}`]: (_req, res) =>
      sendJson(res, 405, { error: 'invalid_request', error_description: 'POST the token request (application/x-www-form-urlencoded).' }, { ...NO_STORE, allow: 'POST' }),
    [`GET ${METADATA_PATH}`]: (_req, res) => sendJson(res, 200, metadata, { 'cache-control': 'public, max-age=3600' }),
    [`GET ${JWKS_PATH}`]: (_req, res) => {
      const keys = options.publishedKeys();
      if (!keys) return sendJson(res, 503, { error: 'The token-signing keys are not loaded yet.' }, { 'retry-after': '1' });
      sendJson(res, 200, keys, { 'cache-control': 'public, max-age=300' });
    },
  };
}
