/**
 * Saving an endpoint URL: sandbox takes any http(s) URL; production takes
 * only https to a host whose every address is public. Lookups are injected,
 * so no test depends on real DNS.
 */
import { checkEndpointUrl, type LookupFn } from '..';

function answers(...addresses: string[]): LookupFn {
  return async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

/** A lookup that fails the test if it is asked at all. */
const noLookup: LookupFn = async (hostname) => {
  throw new Error(`unexpected lookup of ${hostname}`);
};

async function productionReason(url: string, lookup: LookupFn = noLookup): Promise<string> {
  const result = await checkEndpointUrl(url, { mode: 'production', lookup });
  if (result.ok) throw new Error(`${url} was accepted`);
  return result.reason;
}

describe('checkEndpointUrl in sandbox mode', () => {
  it('accepts a local http URL without asking DNS', async () => {
    const result = await checkEndpointUrl('http://127.0.0.1:9/x', { mode: 'sandbox', lookup: noLookup });
    expect(result).toEqual({ ok: true, url: new URL('http://127.0.0.1:9/x') });
  });

  it('accepts https', async () => {
    expect((await checkEndpointUrl('https://hooks.example.com/in', { mode: 'sandbox', lookup: noLookup })).ok).toBe(true);
  });

  it.each([
    ['ftp', 'ftp://hooks.example.com/in', /scheme must be http or https/],
    ['userinfo', 'http://user:secret@127.0.0.1/in', /username or password/],
    ['a fragment', 'http://127.0.0.1/in#part', /fragment/],
  ])('still refuses %s', async (_name, url, reason) => {
    const result = await checkEndpointUrl(url, { mode: 'sandbox', lookup: noLookup });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});

describe('checkEndpointUrl in production mode', () => {
  it('refuses http', async () => {
    expect(await productionReason('http://hooks.example.com/in')).toMatch(/scheme must be https in production mode/);
  });

  it.each([
    ['loopback', 'https://127.0.0.1/in', /host 127\.0\.0\.1 is a loopback address/],
    ['IPv6 loopback', 'https://[::1]/in', /host ::1 is a loopback address/],
    ['unspecified', 'https://0.0.0.0/in', /unspecified/],
    ['RFC 1918 10/8', 'https://10.0.0.5/in', /a private \(RFC 1918\) address/],
    ['RFC 1918 172.16/12', 'https://172.16.0.1/in', /a private \(RFC 1918\) address/],
    ['RFC 1918 192.168/16', 'https://192.168.0.1/in', /a private \(RFC 1918\) address/],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['IPv6 link-local', 'https://[fe80::1]/in', /link-local/],
    ['CGNAT', 'https://100.64.0.1/in', /carrier-grade NAT/],
    ['multicast', 'https://224.0.0.1/in', /multicast/],
    ['reserved', 'https://240.0.0.1/in', /reserved/],
    ['documentation', 'https://192.0.2.1/in', /documentation/],
    ['benchmarking', 'https://198.18.0.1/in', /benchmarking/],
    ['IPv6 unique-local', 'https://[fd00::1]/in', /unique-local/],
    ['IPv6 documentation', 'https://[2001:db8::1]/in', /documentation/],
    ['IPv4-mapped loopback, dotted', 'https://[::ffff:127.0.0.1]/in', /IPv4-mapped form of 127\.0\.0\.1/],
    ['IPv4-mapped loopback, hex', 'https://[::ffff:7f00:1]/in', /IPv4-mapped form of 127\.0\.0\.1/],
    ['NAT64 of RFC 1918', 'https://[64:ff9b::a00:5]/in', /NAT64 form of 10\.0\.0\.5/],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/in', /6to4 form of 127\.0\.0\.1/],
    // The URL parser normalises these to 127.0.0.1 before anything else sees them.
    ['hex short form 0x7f.1', 'https://0x7f.1/in', /host 127\.0\.0\.1 is a loopback address/],
    ['one number 2130706433', 'https://2130706433/in', /host 127\.0\.0\.1 is a loopback address/],
    ['octal 0177.0.0.1', 'https://0177.0.0.1/in', /host 127\.0\.0\.1 is a loopback address/],
    ['two parts 127.1', 'https://127.1/in', /host 127\.0\.0\.1 is a loopback address/],
  ])('refuses a literal %s host without asking DNS (%s)', async (_name, url, reason) => {
    expect(await productionReason(url)).toMatch(reason);
  });

  it.each(['https://localhost/in', 'https://LOCALHOST./in', 'https://api.localhost:8443/in'])(
    'refuses %s without asking DNS',
    async (url) => {
      expect(await productionReason(url)).toMatch(/is a loopback name/);
    },
  );

  it('refuses a hostname that resolves to a private address, naming it and its class', async () => {
    expect(await productionReason('https://hooks.example.com/in', answers('10.0.0.5'))).toBe(
      'hooks.example.com resolves to 10.0.0.5, a private (RFC 1918) address',
    );
  });

  it('refuses a hostname if any one of its addresses is not public', async () => {
    const lookup = answers('8.8.8.8', '2606:4700:4700::1111', '192.168.0.10');
    expect(await productionReason('https://hooks.example.com/in', lookup)).toMatch(
      /resolves to 192\.168\.0\.10, a private \(RFC 1918\) address/,
    );
  });

  it('refuses a hostname that resolves to an IPv4-mapped loopback address', async () => {
    expect(await productionReason('https://hooks.example.com/in', answers('::ffff:127.0.0.1'))).toMatch(
      /resolves to ::ffff:127\.0\.0\.1, an IPv4-mapped form of 127\.0\.0\.1, a loopback address/,
    );
  });

  it('accepts a hostname whose every address is public', async () => {
    const lookup = jest.fn(answers('8.8.8.8', '2606:4700:4700::1111'));
    const result = await checkEndpointUrl('https://hooks.example.com:8443/in?tenant=1', { mode: 'production', lookup });
    expect(result).toEqual({ ok: true, url: new URL('https://hooks.example.com:8443/in?tenant=1') });
    expect(lookup).toHaveBeenCalledWith('hooks.example.com');
  });

  it('accepts a literal public address', async () => {
    expect((await checkEndpointUrl('https://[2606:4700:4700::1111]/in', { mode: 'production', lookup: noLookup })).ok).toBe(true);
  });

  it('refuses a hostname that does not resolve, saying so', async () => {
    const notFound: LookupFn = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };
    expect(await productionReason('https://nowhere.example/in', notFound)).toBe('nowhere.example does not resolve (ENOTFOUND)');
    expect(await productionReason('https://nowhere.example/in', answers())).toBe('nowhere.example does not resolve');
  });

  it.each([
    ['a username and password', 'https://user:secret@hooks.example.com/in', /username or password/],
    ['a username alone', 'https://user@hooks.example.com/in', /username or password/],
    ['a URL over 2048 characters', `https://hooks.example.com/${'a'.repeat(2048)}`, /longer than 2048 characters/],
    ['ftp', 'ftp://hooks.example.com/in', /scheme must be https/],
    ['javascript:', 'javascript:alert(1)', /scheme must be https/],
    ['garbage', 'not a url at all', /not an absolute URL/],
    ['an empty string', '', /not an absolute URL/],
    ['a relative path', '/webhooks/in', /not an absolute URL/],
    ['a scheme with no host', 'https://', /not an absolute URL/],
    ['a fragment', 'https://hooks.example.com/in#section', /fragment/],
    ['an empty fragment', 'https://hooks.example.com/in#', /fragment/],
  ])('refuses %s', async (_name, url, reason) => {
    expect(await productionReason(url)).toMatch(reason);
  });

  it('accepts a URL of exactly 2048 characters', async () => {
    const prefix = 'https://hooks.example.com/';
    const url = prefix + 'a'.repeat(2048 - prefix.length);
    expect((await checkEndpointUrl(url, { mode: 'production', lookup: answers('8.8.8.8') })).ok).toBe(true);
  });
});
