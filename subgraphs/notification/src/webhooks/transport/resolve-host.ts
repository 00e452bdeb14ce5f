import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { judgeAddress, type AddressPolicy } from './address-policy';

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Resolves a hostname to every address it has (tests inject their own). */
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export type HostResolution = { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string };

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761): refused without asking DNS. */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function describeLookupFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

/**
 * Resolves a URL's hostname once, to the addresses that may be connected to.
 * Under 'public' every address must be globally routable: one private answer
 * refuses the host, since the connection could land on any of them.
 */
export async function resolveHost(hostname: string, policy: AddressPolicy, lookup: LookupFn): Promise<HostResolution> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const checked = policy === 'public';

  const literalFamily = isIP(host);
  if (literalFamily !== 0) {
    if (!checked) return { ok: true, addresses: [{ address: host, family: literalFamily === 6 ? 6 : 4 }] };
    const verdict = judgeAddress(host);
    return verdict.ok
      ? { ok: true, addresses: [{ address: verdict.address, family: verdict.family }] }
      : { ok: false, reason: `host ${host} is ${verdict.description}` };
  }
  if (checked && isLocalhostName(host)) return { ok: false, reason: `${host} is a loopback name` };

  let answers: ResolvedAddress[];
  try {
    answers = await lookup(host);
  } catch (error) {
    return { ok: false, reason: `${host} does not resolve${describeLookupFailure(error)}` };
  }
  if (answers.length === 0) return { ok: false, reason: `${host} does not resolve` };
  if (!checked) return { ok: true, addresses: answers };

  const addresses: ResolvedAddress[] = [];
  for (const answer of answers) {
    const verdict = judgeAddress(answer.address);
    if (!verdict.ok) return { ok: false, reason: `${host} resolves to ${answer.address}, ${verdict.description}` };
    addresses.push({ address: verdict.address, family: verdict.family });
  }
  return { ok: true, addresses };
}
