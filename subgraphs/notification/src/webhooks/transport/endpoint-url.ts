import { resolveHost, systemLookup, type LookupFn } from './resolve-host';

export const ENDPOINT_URL_MAX_LENGTH = 2048;

export type EndpointUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

function parseAbsoluteUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The checks that need no network: shape, scheme, credentials, fragment. */
function checkUrlShape(text: string, mode: 'sandbox' | 'production'): EndpointUrlCheck {
  if (text.length > ENDPOINT_URL_MAX_LENGTH) return { ok: false, reason: `longer than ${ENDPOINT_URL_MAX_LENGTH} characters` };
  const url = parseAbsoluteUrl(text);
  if (!url) return { ok: false, reason: 'not an absolute URL' };
  const allowed = mode === 'production' ? ['https:'] : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    return { ok: false, reason: `the scheme must be ${allowed.map((p) => p.slice(0, -1)).join(' or ')} in ${mode} mode` };
  }
  // Credentials in a URL end up in logs and dashboards; the signature authenticates us instead.
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'a username or password is not allowed in the URL' };
  // `href` keeps an empty fragment (`…/#`) that `hash` reports as ''.
  if (url.href.includes('#')) return { ok: false, reason: 'a fragment (#…) is not allowed in the URL' };
  return { ok: true, url };
}

/**
 * Whether a webhook endpoint URL may be saved. In production mode the host
 * must be public: a literal address is judged directly, a name by every
 * address it resolves to now (and again at every delivery, by sendWebhook).
 */
export async function checkEndpointUrl(
  text: string,
  options: { mode: 'sandbox' | 'production'; lookup?: LookupFn },
): Promise<EndpointUrlCheck> {
  const shape = checkUrlShape(text, options.mode);
  if (!shape.ok || options.mode === 'sandbox') return shape;
  const resolution = await resolveHost(shape.url.hostname, 'public', options.lookup ?? systemLookup);
  return resolution.ok ? shape : { ok: false, reason: resolution.reason };
}
