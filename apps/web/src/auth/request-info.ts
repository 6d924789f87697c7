import { NORMALIZED } from '../../scripts/client-address.mjs';

let warned = false;

/**
 * The client's address: the console's server (scripts/start.mjs) rewrote X-Forwarded-For to exactly that, from
 * the socket and WEB_TRUST_PROXY. Run any other way (plain `next start`), the header is whatever the client
 * sent, so every caller becomes one "unknown" client instead.
 */
export function clientIp(headers: Pick<Headers, 'get'>): string {
  if ((globalThis as Record<symbol, unknown>)[NORMALIZED] !== true) {
    if (!warned) {
      warned = true;
      console.warn(
        JSON.stringify({
          level: 'warn',
          component: 'web',
          msg: 'not started through scripts/start.mjs: client addresses are unknown',
        }),
      );
    }
    return 'unknown';
  }
  return headers.get('x-forwarded-for') ?? 'unknown';
}
