import ipaddr from 'ipaddr.js';

/**
 * What checks and scrapes may never reach unless an admin allow-lists it: the machine itself and the
 * clouds' metadata services. Private ranges stay reachable (most monitored services are internal).
 */
export const BUILT_IN_DENY: ReadonlyArray<{ cidr: string; label: string }> = [
  { cidr: '0.0.0.0/8', label: '"this host" network' },
  { cidr: '127.0.0.0/8', label: 'loopback' },
  { cidr: '169.254.0.0/16', label: 'link-local' },
  {
    cidr: '169.254.169.254/32',
    label: 'cloud metadata: AWS, Google, Azure, Oracle, DigitalOcean, OpenStack',
  },
  { cidr: '100.100.100.200/32', label: 'cloud metadata: Alibaba' },
  { cidr: '168.63.129.16/32', label: 'cloud platform: Azure WireServer' },
  { cidr: '192.0.0.192/32', label: 'cloud metadata: Oracle' },
  { cidr: '::/128', label: 'unspecified' },
  { cidr: '::1/128', label: 'loopback' },
  { cidr: 'fe80::/10', label: 'link-local' },
  { cidr: 'fd00:ec2::254/128', label: 'cloud metadata: AWS' },
  { cidr: 'fd20:ce::254/128', label: 'cloud metadata: Google' },
];

/** The "deny private networks too" preset, for installations shared by several teams. */
export const PRIVATE_NETWORKS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '198.18.0.0/15',
  'fc00::/7',
  'fec0::/10',
];

/** The networks that always mean this machine; its interfaces' addresses are added at compile time. */
export const LOCAL_NETWORKS: readonly string[] = ['0.0.0.0/8', '127.0.0.0/8', '::/128', '::1/128'];

/** One of Sextant's own listening ports, e.g. { port: 54329, name: 'Postgres' }. */
export interface ProtectedPort {
  port: number;
  name: string;
}

/** The port a URL (or undici's connect options) dials: the explicit one, else the scheme's default. */
export function urlPort(url: { protocol: string; port: string }): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

/** Every address as IPv6 (IPv4 as ::ffff:a.b.c.d), so one comparison covers both families. */
export type Range = [ipaddr.IPv6, number];

export class OutboundEntryError extends Error {}

const IPV4_SHAPE = /^[0-9.]+$/;

/** A CIDR or a bare address, IPv4 dotted-quad only (inet_aton shorthands like 192.168/16 mean something else). */
export function parseNetwork(raw: string): Range {
  const text = raw.trim();
  const [address = '', bits, extra] = text.split('/');
  if (extra !== undefined || address.includes('%')) throw new OutboundEntryError(`"${raw}" is not a network`);
  try {
    if (IPV4_SHAPE.test(address)) {
      if (!ipaddr.IPv4.isValidFourPartDecimal(address)) throw new Error('not dotted-quad');
      const length = bits === undefined ? 32 : strictInt(bits, 32);
      const [base] = ipaddr.IPv4.parseCIDR(`${address}/${length}`);
      return [(base as ipaddr.IPv4).toIPv4MappedAddress(), length + 96];
    }
    if (!ipaddr.IPv6.isValid(address)) throw new Error('not IPv6');
    const length = bits === undefined ? 128 : strictInt(bits, 128);
    return [ipaddr.IPv6.parse(address), length];
  } catch {
    throw new OutboundEntryError(`"${raw}" is not an IPv4 or IPv6 address or CIDR`);
  }
}

function strictInt(text: string, max: number): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > max) throw new Error('bad prefix length');
  return Number(text);
}

export interface AllowEntry {
  range: Range;
  /** null: every port. */
  port: number | null;
}

/** `10.0.0.0/8`, `127.0.0.1`, `127.0.0.1:4000`, `::1`, `[::1]:4000`, `[fd00::/8]:443`. */
export function parseAllowEntry(raw: string): AllowEntry {
  const text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4WithPort = /^([0-9./]+):(\d+)$/.exec(text);
  const [network, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : v4WithPort
      ? [v4WithPort[1]!, v4WithPort[2]]
      : [text, undefined];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    throw new OutboundEntryError(`"${raw}" has an invalid port`);
  return { range: parseNetwork(network), port: port === undefined ? null : Number(port) };
}
