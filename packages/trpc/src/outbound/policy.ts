import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import {
  BUILT_IN_DENY,
  LOCAL_NETWORKS,
  OutboundEntryError,
  type ProtectedPort,
  parseAllowEntry,
  parseNetwork,
  type Range,
} from './rules';
import { OUTBOUND_SETTINGS } from './settings-link';

const WHERE = OUTBOUND_SETTINGS.label;

type Reason =
  | { kind: 'built-in'; cidr: string; label: string }
  | { kind: 'admin'; cidr: string }
  | { kind: 'own-port'; name: string }
  | { kind: 'allow' };

interface Rule {
  effect: 'deny' | 'allow';
  range: Range;
  port: number | null;
  reason: Reason;
}

export interface OutboundRules {
  /** CIDRs an admin denied on top of the built-in rules. */
  deny: readonly string[];
  /** Admin (or seed) allow entries; see parseAllowEntry. */
  allow: readonly string[];
  /** Sextant's own ports: refused on every local address unless an allow entry names that address and port. */
  protectedPorts?: readonly ProtectedPort[];
  /** This machine's addresses; default: every interface's. */
  localAddresses?: readonly string[];
}

export interface Refusal {
  address: string;
  port: number;
  message: string;
}

export interface OutboundPolicy {
  /** Why `address:port` may not be reached, or null when it may. `via` names the host it was resolved from. */
  check(address: string, port: number, via?: string): Refusal | null;
}

/**
 * Compiles the rules once. The most specific matching rule decides: a rule naming a port beats one that does
 * not, then the longer prefix wins, and on a tie the allow entry wins (an admin named it on purpose). An
 * address is matched in every form it can take: IPv4-mapped, IPv4-compatible, NAT64 and 6to4 embed an IPv4
 * address that is checked too. An unreadable entry refuses everything (fail closed).
 */
export function compileOutbound(rules: OutboundRules): OutboundPolicy {
  let compiled: Rule[];
  try {
    compiled = [
      ...BUILT_IN_DENY.map(
        ({ cidr, label }): Rule => ({
          effect: 'deny',
          range: parseNetwork(cidr),
          port: null,
          reason: { kind: 'built-in', cidr, label },
        }),
      ),
      ...ownPortRules(rules),
      ...rules.deny.map(
        (cidr): Rule => ({
          effect: 'deny',
          range: parseNetwork(cidr),
          port: null,
          reason: { kind: 'admin', cidr: cidr.trim() },
        }),
      ),
      ...rules.allow.map(
        (entry): Rule => ({ effect: 'allow', ...parseAllowEntry(entry), reason: { kind: 'allow' } }),
      ),
    ];
  } catch (err) {
    const message =
      err instanceof OutboundEntryError ? `invalid outbound rule: ${err.message}` : 'invalid outbound rule';
    return { check: (address, port) => ({ address, port, message }) };
  }
  return {
    check(address, port, via) {
      const forms = addressForms(address);
      if (forms.length === 0) return { address, port, message: `${address} is not an IP address` };
      let best: Rule | null = null;
      for (const rule of compiled) {
        if (rule.port !== null && rule.port !== port) continue;
        if (!forms.some((f) => f.match(rule.range))) continue;
        if (best === null || beats(rule, best)) best = rule;
      }
      if (best === null || best.effect === 'allow') return null;
      return { address, port, message: explain(best.reason, address, port, via) };
    },
  };
}

function beats(a: Rule, b: Rule): boolean {
  const specificity = (r: Rule) => (r.port === null ? 0 : 1000) + r.range[1];
  const d = specificity(a) - specificity(b);
  return d > 0 || (d === 0 && a.effect === 'allow' && b.effect === 'deny');
}

function ownPortRules(rules: OutboundRules): Rule[] {
  const ports = rules.protectedPorts ?? [];
  if (ports.length === 0) return [];
  const local = localNetworks(rules.localAddresses);
  return ports.flatMap(({ port, name }) =>
    local.map(
      (cidr): Rule => ({
        effect: 'deny',
        range: parseNetwork(cidr),
        port,
        reason: { kind: 'own-port', name },
      }),
    ),
  );
}

/** This machine's own addresses (zone ids dropped: they name an interface, not an address). */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address.split('%')[0]!] : []));
}

/** Every network that means this machine: loopback, unspecified, and its interfaces' addresses. */
function localNetworks(localAddresses?: readonly string[]): string[] {
  return [...LOCAL_NETWORKS, ...(localAddresses ?? interfaceAddresses())];
}

/** Whether an IP address (in any form it can take, e.g. ::ffff:127.0.0.1) is this machine. */
export function isLocalAddress(address: string, localAddresses?: readonly string[]): boolean {
  const forms = addressForms(address);
  return localNetworks(localAddresses).some((cidr) => {
    const range = parseNetwork(cidr);
    return forms.some((f) => f.match(range));
  });
}

const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const NAT64_LOCAL = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');
/**
 * RFC 6052 §2.2: the bytes holding the IPv4 address for each prefix length an operator may carve out of the
 * local-use 64:ff9b:1::/48 (RFC 8215); byte 8 is always skipped. Which one a translator uses is its own
 * configuration, so every reading is checked.
 */
const LOCAL_NAT64_LAYOUTS = [
  [6, 7, 9, 10],
  [7, 9, 10, 11],
  [9, 10, 11, 12],
  [12, 13, 14, 15],
];

/** The address as IPv6, plus the IPv4 address it embeds (as ::ffff:a.b.c.d) in any translation form. */
function addressForms(address: string): ipaddr.IPv6[] {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').split('%')[0]!);
  } catch {
    return [];
  }
  if (parsed.kind() === 'ipv4') return [(parsed as ipaddr.IPv4).toIPv4MappedAddress()];
  const v6 = parsed as ipaddr.IPv6;
  const b = v6.toByteArray();
  const v4 = (octets: number[]) => new ipaddr.IPv4(octets).toIPv4MappedAddress();
  const forms = [v6];
  if (b.slice(0, 12).every((x) => x === 0)) forms.push(v4(b.slice(12))); // IPv4-compatible ::a.b.c.d
  if (v6.match(NAT64)) forms.push(v4(b.slice(12)));
  if (v6.match(NAT64_LOCAL)) {
    // The zero suffix RFC 6052 asks for reads as 0.0.0.0/8 under a longer layout, where no translator
    // forwards: such a reading is no reason to refuse.
    for (const layout of LOCAL_NAT64_LAYOUTS) {
      const octets = layout.map((i) => b[i]!);
      if (octets[0] !== 0) forms.push(v4(octets));
    }
  }
  if (v6.match(SIX_TO_FOUR)) forms.push(v4(b.slice(2, 6)));
  return forms;
}

function explain(reason: Reason, address: string, port: number, via?: string): string {
  const from = via && via !== address ? ` (resolved from ${via})` : '';
  const hostPort = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  switch (reason.kind) {
    case 'built-in':
      return `${address}${from} is in ${reason.cidr} (${reason.label}), which checks may not reach by default; an admin can allow it under ${WHERE}.`;
    case 'own-port':
      return `${hostPort}${from} is Sextant's own ${reason.name} port, which checks may not reach; an admin can allow exactly ${hostPort} under ${WHERE}.`;
    default:
      return `${address}${from} is in ${(reason as { cidr: string }).cidr}, which an admin denied under ${WHERE}.`;
  }
}
