/**
 * Keep-alive connections for notifications: one undici Pool per origin, dialling only the addresses the outbound
 * policy allowed when the pool was made (pinned against rebinding). A new policy (outboundLoader recompiles it every
 * 10 s) retires every pool, so a deny-list change or a DNS change reaches new connections within seconds.
 */
import { type OutboundPolicy, urlPort } from '@sextant/trpc';
import { Pool } from 'undici';
import { vettedConnector } from '../monitoring/probe/connect';
import type { Deadline } from '../monitoring/probe/deadline';
import { resolveAllowed } from '../monitoring/probe/vetted-lookup';

/** Bounds a connection attempt no request waits for any more (each request has its own deadline). */
const CONNECT_TIMEOUT_MS = 30_000;
/** Idle connections close after this, well under common server keep-alive timeouts (Node 5 s, nginx 75 s). */
const KEEP_ALIVE_MS = 4_000;

export class VettedPools {
  private policy: OutboundPolicy | null = null;
  private readonly pools = new Map<string, Promise<Pool>>();

  /** The pool for `url`'s origin under `policy`; rejects as resolveAllowed does (denied, unresolvable). */
  get(url: URL, o: { policy: OutboundPolicy; deadline: Deadline; ca?: string }): Promise<Pool> {
    if (o.policy !== this.policy) {
      this.close();
      this.policy = o.policy;
    }
    const key = `${url.origin}\n${o.ca ?? ''}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.create(url, o);
      this.pools.set(key, pool);
      // A refusal is not kept: the next message asks again (the list or DNS may have changed).
      pool.catch(() => this.pools.get(key) === pool && this.pools.delete(key));
    }
    return pool;
  }

  /** Closes every pool once its requests in flight are done. */
  close() {
    for (const pool of this.pools.values()) void pool.then((p) => p.close()).catch(() => {});
    this.pools.clear();
  }

  private async create(url: URL, o: { policy: OutboundPolicy; deadline: Deadline; ca?: string }) {
    const addresses = await resolveAllowed(url.hostname, urlPort(url), o.policy, o.deadline.signal);
    return new Pool(url.origin, {
      connect: (options, callback) =>
        vettedConnector({
          addresses,
          ca: o.ca,
          signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
          onCertificate: () => {},
        })(options, callback),
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
    });
  }
}
