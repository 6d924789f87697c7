import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { OutboundPolicy } from '@sextant/trpc';
import { raceAbort } from './deadline';
import { ProbeError } from './errors';

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host (IP literals as-is) and refuses if any address is denied; the result is what we connect to. */
export async function resolveAllowed(
  host: string,
  port: number,
  policy: OutboundPolicy,
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
    const refusal = policy.check(address, port, literal);
    if (refusal) throw new ProbeError('denied', refusal.message);
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
