import { BlockList, isIP } from 'node:net';

/** How many addresses' answers TrustedProxies keeps. */
const REMEMBERED_ADDRESSES = 4_096;

/**
 * The proxies whose `X-Forwarded-For` the gateway believes (a load balancer,
 * an ingress). Anyone else can write that header, so from anyone else it is
 * ignored.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  /**
   * Answers by address. The peers are few (the load balancer's or ingress's
   * own addresses, and the clients behind none), and asking the BlockList
   * builds a SocketAddress each time; at its size it starts over.
   */
  private readonly answers = new Map<string, boolean>();

  /** `entries`: IPv4 or IPv6 addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`); throws on a malformed one. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.split('/');
      const ip = normaliseIp(address);
      const type = ip && isIP(ip) === 4 ? 'ipv4' : 'ipv6';
      const bits = prefix !== undefined && /^\d{1,3}$/.test(prefix) ? Number(prefix) : undefined;
      const badPrefix = prefix !== undefined && (bits === undefined || bits > (type === 'ipv4' ? 32 : 128));
      if (!ip || extra !== undefined || badPrefix) throw new Error(`Not an IP address or CIDR range: ${JSON.stringify(entry)}`);
      if (bits === undefined) this.list.addAddress(ip, type);
      else this.list.addSubnet(ip, bits, type);
    }
  }

  has(ip: string): boolean {
    let trusted = this.answers.get(ip);
    if (trusted === undefined) {
      trusted = this.list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
      if (this.answers.size >= REMEMBERED_ADDRESSES) this.answers.clear();
      this.answers.set(ip, trusted);
    }
    return trusted;
  }
}

/**
 * A bare IP as the rest of the gateway compares it: an IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`, how a dual-stack socket reports IPv4 peers) as
 * IPv4, IPv6 in lower case. Undefined for anything that is not an IP.
 */
export function normaliseIp(text: string): string | undefined {
  const trimmed = text.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  const ip = mapped ? mapped[1]! : trimmed.toLowerCase();
  return isIP(ip) ? ip : undefined;
}

/** One `X-Forwarded-For` entry: a bare IP, or with a port as some proxies write it (`1.2.3.4:5678`, `[2001:db8::1]:443`). */
function forwardedHop(entry: string): string | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return normaliseIp(bracketed[1]!);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return normaliseIp(withPort ? withPort[1]! : text);
}

/**
 * The client's IP: the socket's peer, unless that peer is a trusted proxy —
 * then the right-most `X-Forwarded-For` entry that is not itself a trusted
 * proxy (entries to its left were written by the client or by hops nobody
 * vouches for). A malformed entry ends the walk at the last hop that could be
 * believed; a chain of only trusted proxies gives its left-most entry.
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = (remoteAddress && normaliseIp(remoteAddress)) || 'unknown';
  if (!trusted.has(client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = forwardedHop(hops[index]!);
    if (!hop) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}

/**
 * Whom a per-IP limit counts: the address itself for IPv4, its /64 for IPv6
 * (one subscriber line is given a whole /64 and can walk through it, so
 * counting single IPv6 addresses would not limit anyone).
 */
export function ipSubject(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`64:ff9b::1.2.3.4`) is the last 32 bits: two groups, never in the first 64.
  const tailLength = tailGroups.reduce((length, group) => length + (group.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailLength).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
