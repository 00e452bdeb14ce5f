/**
 * Webhook transport: signing, the SSRF address policy, one HTTP attempt, and
 * the retry schedule. No storage and no GraphQL here; the webhook domain
 * (endpoints, deliveries, the worker) builds on these.
 *
 * Design:
 * - DNS rebinding. Checking a hostname's addresses and then letting the HTTP
 *   client resolve it again leaves a gap: a hostile DNS server answers
 *   "8.8.8.8" to the check and "127.0.0.1" to the connection. So under the
 *   'public' policy sendWebhook resolves once, checks every address, and hands
 *   http.request a `lookup` that can only answer with those checked
 *   addresses (Host and TLS SNI still carry the hostname). The address the
 *   socket actually reached is checked again before a byte is sent.
 * - No redirects. A receiver's `Location` is a second, unchecked URL (it can
 *   point at 169.254.169.254 or an internal host), and the contract says
 *   redirects are not followed: a 3xx is a failed attempt.
 * - One timeout covers resolving, connecting, the answer and its body, and
 *   at most RESPONSE_BODY_LIMIT_BYTES are read, so a slow or chatty receiver
 *   costs a bounded amount of time and memory.
 */
export { checkAddress, type AddressPolicy } from './address-policy';
export { type LookupFn } from './resolve-host';
export { checkEndpointUrl, ENDPOINT_URL_MAX_LENGTH } from './endpoint-url';
export { sendWebhook, RESPONSE_BODY_LIMIT_BYTES, type WebhookRequest, type AttemptResult } from './send-webhook';
export { newWebhookSecret, signatureHeader, webhookHeaders, WEBHOOK_USER_AGENT } from './signing';
export { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule, withJitter } from './retry-schedule';
