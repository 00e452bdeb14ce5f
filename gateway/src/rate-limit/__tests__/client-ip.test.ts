import { clientIp, ipSubject, normaliseIp, TrustedProxies } from '../client-ip';

const trusted = new TrustedProxies(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '2001:db8:ffff::1']);
const none = new TrustedProxies([]);

describe('client IP', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(clientIp('10.1.2.3', '198.51.100.1', none)).toBe('10.1.2.3');
  });

  it('ignores a spoofed X-Forwarded-For from an untrusted hop', () => {
    expect(clientIp('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientIp('203.0.113.9', '10.0.0.1, 198.51.100.1', trusted)).toBe('203.0.113.9');
  });

  it('takes the right-most entry from a trusted proxy', () => {
    expect(clientIp('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // The client wrote the left entry itself; only the proxy's own entry counts.
    expect(clientIp('10.0.0.5', '1.1.1.1, 198.51.100.1', trusted)).toBe('198.51.100.1');
  });

  it('walks past every trusted proxy in a chain of hops, and stops at the first that is not', () => {
    expect(clientIp('10.0.0.5', '6.6.6.6, 198.51.100.1, 192.168.1.7, 10.9.9.9', trusted)).toBe('198.51.100.1');
    // Duplicate headers arrive as an array (or joined by Node): one chain.
    expect(clientIp('10.0.0.5', ['6.6.6.6, 198.51.100.1', '10.9.9.9'], trusted)).toBe('198.51.100.1');
  });

  it('gives the left-most entry when every hop is trusted', () => {
    expect(clientIp('10.0.0.5', '10.1.1.1, 10.2.2.2', trusted)).toBe('10.1.1.1');
  });

  it('stops at a malformed entry, at the last hop that could be believed', () => {
    expect(clientIp('10.0.0.5', '198.51.100.1, not-an-ip', trusted)).toBe('10.0.0.5');
    expect(clientIp('10.0.0.5', '198.51.100.1, not-an-ip, 10.2.2.2', trusted)).toBe('10.2.2.2');
    expect(clientIp('10.0.0.5', '', trusted)).toBe('10.0.0.5');
  });

  it('reads IPv4-mapped IPv6 peers and entries as IPv4', () => {
    expect(clientIp('::ffff:10.0.0.5', '::ffff:198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientIp('::ffff:203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(normaliseIp('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('trusts IPv6 proxies by range and by address, and reads IPv6 clients', () => {
    expect(clientIp('fd12::1', '2001:DB8::42', trusted)).toBe('2001:db8::42');
    expect(clientIp('2001:db8:ffff::1', '2001:db8::42', trusted)).toBe('2001:db8::42');
    expect(clientIp('2001:db8:ffff::2', '2001:db8::42', trusted)).toBe('2001:db8:ffff::2');
  });

  it('accepts entries with ports, as some proxies write them', () => {
    expect(clientIp('10.0.0.5', '198.51.100.1:51234', trusted)).toBe('198.51.100.1');
    expect(clientIp('10.0.0.5', '[2001:db8::42]:443', trusted)).toBe('2001:db8::42');
  });

  it('has a name for a socket without an address', () => {
    expect(clientIp(undefined, '198.51.100.1', trusted)).toBe('unknown');
  });
});

describe('trusted proxies', () => {
  it('refuses malformed entries', () => {
    for (const entry of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', 'proxy.local', '10.0.0.0/x', '10.0.0.0/']) {
      expect(() => new TrustedProxies([entry])).toThrow(/Not an IP address or CIDR range/);
    }
  });
});

describe('per-IP subject', () => {
  it('is the address for IPv4 and the /64 for IPv6', () => {
    expect(ipSubject('198.51.100.1')).toBe('198.51.100.1');
    expect(ipSubject('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(ipSubject('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(ipSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipSubject('::1')).toBe('0:0:0:0::/64');
    expect(ipSubject('64:ff9b::198.51.100.1')).toBe('64:ff9b:0:0::/64');
    expect(ipSubject('2001:0DB8:0001:0002::')).toBe('2001:db8:1:2::/64');
  });

  it('gives the same answers when asked again, past the number of addresses it remembers', () => {
    const list = new TrustedProxies(['10.0.0.0/16']);
    const addresses = Array.from({ length: 10_000 }, (_, i) => `10.${i % 2}.${(i >> 8) & 255}.${i & 255}`);
    for (let round = 0; round < 2; round++) {
      addresses.forEach((address, i) => expect(list.has(address)).toBe(i % 2 === 0));
    }
  });
});
