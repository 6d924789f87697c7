// The console's one rule for "who is the client": Next does not expose a request's socket address to route
// handlers, so the server in start.mjs applies this to every request before Next sees it.
import proxyAddr from '@fastify/proxy-addr';

/** Set on globalThis once requests pass through `normalizeForwarded`; the app refuses forwarded headers otherwise. */
export const NORMALIZED = Symbol.for('sextant.web.forwardedHeadersNormalized');

/**
 * WEB_TRUST_PROXY, read as the API reads API_TRUST_PROXY: `false` (the default) trusts no one, otherwise a
 * comma-separated list of addresses, CIDR ranges or `loopback` / `linklocal` / `uniquelocal`.
 * Throws on an entry that is none of these.
 */
export function trustFromEnv(value = 'false') {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0 || (entries.length === 1 && entries[0] === 'false')) return () => false;
  return proxyAddr.compile(entries);
}

// One representation per address, so an IPv4 client on a dual-stack listener keeps one rate-limit bucket.
const unmapped = (address) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

const FROM_PROXIES_ONLY = ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port'];
const NEVER_TRUSTED = ['x-real-ip', 'forwarded'];

/**
 * Rewrites a Node request's forwarded headers in place: `x-forwarded-for` becomes exactly one address, the
 * socket's peer, or, when that peer is a trusted proxy, the nearest address its chain names that is not itself
 * trusted (Fastify's rule). Host, protocol and port hints survive only from a trusted proxy.
 */
export function normalizeForwarded(req, trust) {
  const peer = req.socket.remoteAddress ?? '';
  if (!trust(peer, 0)) for (const name of FROM_PROXIES_ONLY) delete req.headers[name];
  for (const name of NEVER_TRUSTED) delete req.headers[name];
  req.headers['x-forwarded-for'] = unmapped(peer ? proxyAddr(req, trust) : 'unknown');
}
