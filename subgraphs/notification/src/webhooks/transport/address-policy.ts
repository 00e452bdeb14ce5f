import ipaddr from 'ipaddr.js';

/** 'public' is production mode: only globally routable addresses may be connected to. */
export type AddressPolicy = 'any' | 'public';

/** What one address is, as far as the SSRF policy cares. */
export type AddressVerdict =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; description: string };

type Range<T> = { range: [T, number]; description: string };

const PRIVATE = 'a private (RFC 1918) address';
const DOCUMENTATION = 'a documentation address';

function ranges<T extends ipaddr.IPv4 | ipaddr.IPv6>(
  parse: (cidr: string) => [T, number],
  table: ReadonlyArray<[string, string]>,
): Array<Range<T>> {
  return table.map(([cidr, description]) => ({ range: parse(cidr), description }));
}

// First match wins, so the metadata address comes before its link-local /16.
const REFUSED_IPV4 = ranges((cidr) => ipaddr.IPv4.parseCIDR(cidr), [
  ['169.254.169.254/32', 'the cloud metadata address (link-local)'],
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['10.0.0.0/8', PRIVATE],
  ['100.64.0.0/10', 'a carrier-grade NAT (RFC 6598) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', PRIVATE],
  ['192.0.0.0/24', 'an IETF protocol assignment (RFC 6890) address'],
  ['192.0.2.0/24', DOCUMENTATION],
  ['192.88.99.0/24', 'a 6to4 relay anycast address'],
  ['192.168.0.0/16', PRIVATE],
  ['198.18.0.0/15', 'a benchmarking (RFC 2544) address'],
  ['198.51.100.0/24', DOCUMENTATION],
  ['203.0.113.0/24', DOCUMENTATION],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved or broadcast address'],
]);

const REFUSED_IPV6 = ranges((cidr) => ipaddr.IPv6.parseCIDR(cidr), [
  ['::/128', 'an unspecified address'],
  ['::1/128', 'a loopback address'],
  ['64:ff9b:1::/48', 'a local-use NAT64 (RFC 8215) address'],
  ['100::/64', 'a discard-only (RFC 6666) address'],
  ['2001::/32', 'a Teredo tunnel address'],
  ['2001:2::/48', 'a benchmarking (RFC 5180) address'],
  ['2001:db8::/32', DOCUMENTATION],
  ['fc00::/7', 'a unique-local (fc00::/7) address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
]);

// IPv6 forms that carry an IPv4 address: the packet ends up at that IPv4
// address, so they are judged by it (::ffff:7f00:1 is 127.0.0.1).
const EMBEDDING_IPV6: ReadonlyArray<{ range: [ipaddr.IPv6, number]; form: string; firstByte: number }> = [
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), form: 'an IPv4-mapped', firstByte: 12 },
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), form: 'an IPv4-translated', firstByte: 12 },
  { range: ipaddr.IPv6.parseCIDR('::/96'), form: 'an IPv4-compatible', firstByte: 12 },
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), form: 'a NAT64', firstByte: 12 },
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), form: 'a 6to4', firstByte: 2 },
];

// Everything globally routable in IPv6 is allocated from 2000::/3; anything
// outside it that the tables above did not name is refused as well.
const GLOBAL_UNICAST_IPV6 = ipaddr.IPv6.parseCIDR('2000::/3');

function judgeIPv4(address: ipaddr.IPv4): AddressVerdict {
  const refused = REFUSED_IPV4.find(({ range }) => address.match(range));
  if (refused) return { ok: false, description: refused.description };
  return { ok: true, address: address.toString(), family: 4 };
}

function judgeIPv6(address: ipaddr.IPv6): AddressVerdict {
  if (address.zoneId !== undefined) return { ok: false, description: 'a scoped (zone id) address' };
  const refused = REFUSED_IPV6.find(({ range }) => address.match(range));
  if (refused) return { ok: false, description: refused.description };
  const embedding = EMBEDDING_IPV6.find(({ range }) => address.match(range));
  if (embedding) {
    const bytes = address.toByteArray();
    const embedded = new ipaddr.IPv4(bytes.slice(embedding.firstByte, embedding.firstByte + 4));
    const verdict = judgeIPv4(embedded);
    if (!verdict.ok) return { ok: false, description: `${embedding.form} form of ${embedded}, ${verdict.description}` };
  } else if (!address.match(GLOBAL_UNICAST_IPV6)) {
    return { ok: false, description: 'not a global unicast address (outside 2000::/3)' };
  }
  return { ok: true, address: address.toString(), family: 6 };
}

/**
 * Judges one address, in any spelling ipaddr.js reads (`0x7f.1`,
 * `2130706433`, `::ffff:7f00:1`); a verdict that is ok carries the canonical
 * spelling, which is what must be connected to, so the string that was
 * checked and the address the socket uses cannot disagree.
 */
export function judgeAddress(ip: string): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(ip);
  } catch {
    return { ok: false, description: 'not an IP address' };
  }
  return parsed.kind() === 'ipv4' ? judgeIPv4(parsed as ipaddr.IPv4) : judgeIPv6(parsed as ipaddr.IPv6);
}

/** Is this IP globally routable? The reason names the class of address it is not. */
export function checkAddress(ip: string): { ok: true } | { ok: false; reason: string } {
  const verdict = judgeAddress(ip);
  return verdict.ok ? { ok: true } : { ok: false, reason: `${ip} is ${verdict.description}` };
}
