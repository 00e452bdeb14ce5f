/**
 * The SSRF address policy: every class of address that is not globally
 * routable is refused, in any spelling, including IPv6 forms that carry an
 * IPv4 address; globally routable addresses pass.
 */
import { checkAddress } from '..';

function reasonFor(ip: string): string {
  const verdict = checkAddress(ip);
  if (verdict.ok) throw new Error(`${ip} was accepted`);
  return verdict.reason;
}

describe('checkAddress refuses each class of non-public address', () => {
  it.each([
    ['IPv4 loopback 127/8', '127.0.0.1', /a loopback address/],
    ['IPv4 loopback, far end of 127/8', '127.255.10.9', /a loopback address/],
    ['IPv6 loopback ::1', '::1', /a loopback address/],
    ['IPv4 unspecified 0.0.0.0', '0.0.0.0', /unspecified/],
    ['IPv4 "this network" 0/8', '0.1.2.3', /unspecified/],
    ['IPv6 unspecified ::', '::', /unspecified/],
    ['RFC 1918 10/8', '10.0.0.5', /a private \(RFC 1918\) address/],
    ['RFC 1918 172.16/12', '172.31.255.1', /a private \(RFC 1918\) address/],
    ['RFC 1918 192.168/16', '192.168.1.1', /a private \(RFC 1918\) address/],
    ['link-local 169.254/16', '169.254.1.1', /a link-local address/],
    ['cloud metadata 169.254.169.254', '169.254.169.254', /cloud metadata/],
    ['IPv6 link-local fe80::/10', 'fe80::1', /a link-local address/],
    ['IPv6 link-local with a zone id', 'fe80::1%eth0', /zone id/],
    ['CGNAT 100.64/10', '100.64.0.1', /carrier-grade NAT/],
    ['IPv4 multicast 224/4', '224.0.0.251', /multicast/],
    ['IPv6 multicast ff00::/8', 'ff02::1', /multicast/],
    ['reserved 240/4', '240.0.0.1', /reserved or broadcast/],
    ['broadcast 255.255.255.255', '255.255.255.255', /reserved or broadcast/],
    ['IETF protocol assignments 192.0.0/24', '192.0.0.8', /IETF protocol assignment/],
    ['documentation 192.0.2/24', '192.0.2.1', /documentation/],
    ['benchmarking 198.18/15', '198.19.0.1', /benchmarking/],
    ['documentation 198.51.100/24', '198.51.100.7', /documentation/],
    ['documentation 203.0.113/24', '203.0.113.9', /documentation/],
    ['IPv6 unique-local fc00::/7 (fd..)', 'fd12:3456::1', /unique-local/],
    ['IPv6 unique-local fc00::/7 (fc..)', 'fc00::1', /unique-local/],
    ['IPv6 discard-only 100::/64', '100::1', /discard-only/],
    ['IPv6 documentation 2001:db8::/32', '2001:db8::1', /documentation/],
    ['IPv6 outside global unicast 2000::/3', '4000::1', /outside 2000::\/3/],
    ['Teredo 2001::/32', '2001:0:4136:e378::1', /Teredo/],
  ])('%s (%s)', (_name, ip, reason) => {
    expect(reasonFor(ip)).toMatch(reason);
  });
});

describe('checkAddress judges IPv6 forms by the IPv4 address they carry', () => {
  it.each([
    ['IPv4-mapped, dotted', '::ffff:127.0.0.1', /IPv4-mapped form of 127\.0\.0\.1, a loopback address/],
    ['IPv4-mapped, hex', '::ffff:7f00:1', /IPv4-mapped form of 127\.0\.0\.1, a loopback address/],
    ['IPv4-mapped, metadata', '::ffff:a9fe:a9fe', /169\.254\.169\.254, the cloud metadata address/],
    ['IPv4-mapped, RFC 1918', '::ffff:10.0.0.5', /10\.0\.0\.5, a private \(RFC 1918\) address/],
    ['IPv4-translated', '::ffff:0:7f00:1', /IPv4-translated form of 127\.0\.0\.1/],
    ['IPv4-compatible, hex', '::7f00:1', /IPv4-compatible form of 127\.0\.0\.1/],
    ['IPv4-compatible, dotted', '::127.0.0.1', /form of 127\.0\.0\.1, a loopback address/],
    ['NAT64 64:ff9b::/96', '64:ff9b::7f00:1', /NAT64 form of 127\.0\.0\.1/],
    ['NAT64, dotted metadata', '64:ff9b::169.254.169.254', /NAT64 form of 169\.254\.169\.254/],
    ['local-use NAT64 64:ff9b:1::/48', '64:ff9b:1::a00:5', /local-use NAT64/],
    ['6to4 2002::/16 of loopback', '2002:7f00:1::1', /6to4 form of 127\.0\.0\.1/],
    ['6to4 2002::/16 of 10/8', '2002:a00:5::1', /6to4 form of 10\.0\.0\.5, a private/],
  ])('%s (%s)', (_name, ip, reason) => {
    expect(reasonFor(ip)).toMatch(reason);
  });
});

describe('checkAddress reads odd IPv4 spellings as the address they mean', () => {
  it.each([
    ['hex with a short form', '0x7f.1'],
    ['one 32-bit number', '2130706433'],
    ['octal', '0177.0.0.1'],
    ['two parts', '127.1'],
  ])('%s (%s) is loopback', (_name, ip) => {
    expect(reasonFor(ip)).toMatch(/a loopback address/);
  });

  it.each(['example.com', '', '1.2.3.4.5', '08.8.8.8', '[::1]'])('refuses %j, which is not an IP address', (text) => {
    expect(reasonFor(text)).toMatch(/not an IP address/);
  });
});

describe('checkAddress accepts globally routable addresses', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    // Just outside the refused ranges.
    '172.32.0.1',
    '100.128.0.1',
    '192.0.3.1',
    '11.0.0.1',
    // IPv6 forms carrying a public IPv4 address.
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s', (ip) => {
    expect(checkAddress(ip)).toEqual({ ok: true });
  });
});
