import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com/): the secret is
// `whsec_` + base64 of the key; each signature is `v1,` + base64 of
// HMAC-SHA256(key, `${msgId}.${timestamp}.${body}`).
const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export const WEBHOOK_USER_AGENT = 'Harbour-Webhooks/1.0';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

function signingKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error(`a webhook secret must start with ${SECRET_PREFIX}`);
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length === 0) throw new Error('a webhook secret must hold a base64 key after its prefix');
  return key;
}

function sign(secret: string, signedContent: string): string {
  return 'v1,' + createHmac('sha256', signingKey(secret)).update(signedContent).digest('base64');
}

/**
 * The `webhook-signature` value: one `v1,<base64>` per secret, in order,
 * space-separated, so a receiver holding either secret accepts the delivery
 * while a rotation is under way.
 */
export function signatureHeader(secrets: readonly string[], msgId: string, timestampSeconds: number, body: string): string {
  if (secrets.length === 0) throw new Error('a webhook needs at least one secret to be signed with');
  const signedContent = `${msgId}.${timestampSeconds}.${body}`;
  return secrets.map((secret) => sign(secret, signedContent)).join(' ');
}

/** Every header a delivery carries; `webhook-id` stays the same on every retry of one event. */
export function webhookHeaders(
  secrets: readonly string[],
  msgId: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureHeader(secrets, msgId, timestampSeconds, body),
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
  };
}
