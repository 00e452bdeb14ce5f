/**
 * Reading a client-credentials token request (RFC 6749 §2.3.1, §4.4.2) into
 * what the user subgraph checks, or the §5.2 error it is. Pure: no I/O.
 */

/** The §5.2 error codes this endpoint answers. */
export type TokenErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';

export interface TokenError {
  error: TokenErrorCode;
  error_description: string;
}

export interface ClientCredentialsRequest {
  clientId: string;
  clientSecret: string;
  /** Undefined when the request names no scope: the key's own. */
  scope?: string;
  /** How the client authenticated: a failure through Basic must be answered with `WWW-Authenticate: Basic` (§5.2). */
  via: 'basic' | 'form';
}

/** Parameters that may appear once at most (§3.2: "MUST NOT be included more than once"). */
const SINGLE = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;

const invalid = (error: TokenErrorCode, description: string): TokenError => ({ error, error_description: description });

/** `application/x-www-form-urlencoded` decoding, as §2.3.1 asks of the Basic user-id and password too. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The id and secret of an `Authorization: Basic` header; null when it is not one, an error when it is a broken one. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | TokenError | null {
  if (authorization === undefined) return null;
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization);
  if (!match) return /^Basic\b/i.test(authorization) ? invalid('invalid_client', 'The Basic credentials are not base64 of client_id:client_secret.') : null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon > 0 ? formDecode(decoded.slice(0, colon)) : null;
  const secret = colon > 0 ? formDecode(decoded.slice(colon + 1)) : null;
  if (!id || !secret) return invalid('invalid_client', 'The Basic credentials are not base64 of client_id:client_secret.');
  return { id, secret };
}

/**
 * The request, checked in the order a client can fix it: the body's form,
 * then the client's credentials (exactly one way), then the grant type, then
 * the scope's syntax (whether the key carries it is the user subgraph's).
 */
export function readTokenRequest(contentType: string | undefined, body: string, authorization: string | undefined): ClientCredentialsRequest | TokenError {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? '')) {
    return invalid('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(body);
  for (const name of SINGLE) {
    if (form.getAll(name).length > 1) return invalid('invalid_request', `${name} appears more than once.`);
  }
  const basic = basicCredentials(authorization);
  if (basic && 'error' in basic) return basic;
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  if (basic && (formId !== null || formSecret !== null)) {
    // §2.3: "The client MUST NOT use more than one authentication method in each request."
    return invalid('invalid_request', 'Send the client credentials once: as HTTP Basic or as client_id and client_secret, not both.');
  }
  let credentials: { id: string; secret: string; via: 'basic' | 'form' };
  if (basic) credentials = { ...basic, via: 'basic' };
  else if (formId && formSecret) credentials = { id: formId, secret: formSecret, via: 'form' };
  else return invalid('invalid_client', 'Authenticate with the API key: its id and secret as HTTP Basic, or as client_id and client_secret.');

  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return invalid('invalid_request', 'grant_type is missing: this endpoint issues client_credentials tokens.');
  if (grantType !== 'client_credentials') return invalid('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');

  const scope = form.get('scope');
  return { clientId: credentials.id, clientSecret: credentials.secret, via: credentials.via, ...(scope !== null ? { scope } : {}) };
}

/** The client id a request names, for the per-client rate limit, read before anything is checked. */
export function claimedClientId(body: string, authorization: string | undefined): string | undefined {
  const basic = basicCredentials(authorization);
  if (basic && !('error' in basic)) return basic.id;
  const id = new URLSearchParams(body).get('client_id');
  return id || undefined;
}
