import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { raceAbort } from './deadline';
import { ProbeError } from './errors';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface DeniedNetwork {
  cidr: string;
  range: [Address, number];
}

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/** Parses CIDRs (a bare address means a single host); throws on the first invalid entry. */
export function parseDenyList(cidrs: readonly string[]): DeniedNetwork[] {
  return cidrs.map((raw) => {
    const cidr = raw.trim();
    const [addressPart = '', prefix] = cidr.split('/', 2);
    // Dotted-quad only: inet_aton shorthands like '192.168/16' would silently mean 192.0.0.168.
    const valid = addressPart.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(addressPart);
    try {
      if (!valid) throw new Error('not a four-part IPv4 address');
      if (prefix !== undefined) return { cidr, range: ipaddr.parseCIDR(cidr) };
      const address = ipaddr.parse(cidr);
      return { cidr, range: [address, address.kind() === 'ipv4' ? 32 : 128] };
    } catch {
      // Fail closed: a deny list we can't read must not silently allow everything.
      throw new ProbeError('denied', `invalid deny-list entry "${raw}"`);
    }
  });
}

/** The denied network containing the address, checking IPv4-mapped IPv6 in both forms. */
export function findDeniedNetwork(address: string, denied: readonly DeniedNetwork[]): DeniedNetwork | null {
  let parsed: Address;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return null;
  }
  const forms: Address[] = [parsed];
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    forms.push((parsed as ipaddr.IPv6).toIPv4Address());
  } else if (parsed.kind() === 'ipv4') {
    forms.push((parsed as ipaddr.IPv4).toIPv4MappedAddress());
  }
  for (const network of denied) {
    for (const form of forms) {
      if (form.kind() === network.range[0].kind() && form.match(network.range)) return network;
    }
  }
  return null;
}

/** Resolves a host (IP literals as-is) and refuses if any address is denied; the result is what we connect to. */
export async function resolveAllowed(
  host: string,
  denied: readonly DeniedNetwork[],
  signal: AbortSignal,
): Promise<VettedAddress[]> {
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(literal);
  const addresses: VettedAddress[] =
    family === 4 || family === 6
      ? [{ address: literal, family }]
      : (await raceAbort(dns.lookup(host, { all: true }), signal)).map((a) => ({
          address: a.address,
          family: a.family === 6 ? 6 : 4,
        }));
  if (addresses.length === 0)
    throw Object.assign(new Error(`no addresses for ${host}`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const network = findDeniedNetwork(address, denied);
    if (network) {
      const via = address === literal ? '' : ` (resolved from ${host})`;
      throw new ProbeError('denied', `address ${address}${via} is in denied network ${network.cidr}`);
    }
  }
  return addresses;
}

/** A dns.lookup replacement that only ever answers with the vetted addresses, so DNS rebinding can't swap them. */
export function pinnedLookup(addresses: readonly VettedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
      return;
    }
    const wanted = options.family === 6 || options.family === 4 ? options.family : undefined;
    const pick = addresses.find((a) => wanted === undefined || a.family === wanted) ?? addresses[0];
    if (!pick) callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '', 4);
    else callback(null, pick.address, pick.family);
  };
}
