/**
 * The explorer's assets are files served from this origin, so the page needs
 * nothing else: no inline script, no CDN, no framing. Fonts and icons are
 * data: URLs inside GraphiQL's stylesheet. JSON answers carry the same policy,
 * where it only forbids framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every gateway response. `no-store` by default: GraphQL answers
 * are per caller (static assets override it with their own long cache).
 * HSTS only in production, where the gateway sits behind HTTPS; a local run
 * on http://localhost must not pin the browser to HTTPS.
 */
export function securityHeaders(options: { hsts: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-store',
    ...(options.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
