import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { type OutboundPolicy, urlPort } from '@sextant/trpc';
import { type buildConnector, Client } from 'undici';
import type { Deadline } from './deadline';
import { pinnedLookup, resolveAllowed, type VettedAddress } from './vetted-lookup';

export interface ConnectorOptions {
  addresses: readonly VettedAddress[];
  ca: string | undefined;
  signal: AbortSignal;
  onCertificate: (expiresAt: Date | null) => void;
}

/**
 * undici connector that dials only the vetted addresses (Host/SNI stay the original name), gives up the
 * moment the probe's deadline aborts, and verifies TLS itself so a rejected certificate's expiry is still read.
 */
export function vettedConnector({
  addresses,
  ca,
  signal,
  onCertificate,
}: ConnectorOptions): buildConnector.connector {
  return ({ hostname, protocol, port }, callback) => {
    const https = protocol === 'https:';
    const common = {
      host: hostname,
      port: urlPort({ protocol, port }),
      lookup: pinnedLookup(addresses),
      autoSelectFamily: true,
    };
    const socket: Socket = https
      ? tlsConnect({
          ...common,
          servername: isIP(hostname) ? undefined : hostname, // SNI must not be an IP literal
          ALPNProtocols: ['http/1.1'],
          ...(ca === undefined ? {} : { ca }),
          // Checked below via socket.authorized (chain + host name), before undici writes a byte.
          rejectUnauthorized: false,
        })
      : netConnect(common);
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (err) {
        socket.destroy();
        callback(err, null);
      } else {
        callback(null, socket);
      }
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => finish(err));
    socket.once(https ? 'secureConnect' : 'connect', () => {
      socket.setNoDelay(true);
      if (!https) return finish(null);
      const tls = socket as TLSSocket;
      onCertificate(certificateExpiry(tls));
      if (tls.authorized) return finish(null);
      const code = String(tls.authorizationError ?? 'ERR_TLS_CERT_UNVERIFIED');
      finish(Object.assign(new Error(`TLS certificate rejected: ${code}`), { code }));
    });
    if (signal.aborted) onAbort();
  };
}

function certificateExpiry(socket: TLSSocket): Date | null {
  const validTo = socket.getPeerCertificate()?.valid_to;
  if (!validTo) return null;
  const date = new Date(validTo);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A one-connection undici client for `url`'s origin that dials only addresses the outbound policy allows (resolved
 * now, pinned against rebinding) and gives up with the deadline. Destroy it after the request.
 */
export async function vettedClient(
  url: URL,
  o: {
    policy: OutboundPolicy;
    deadline: Deadline;
    ca?: string;
    onCertificate?: (expiresAt: Date | null) => void;
  },
): Promise<Client> {
  const { deadline } = o;
  const addresses = await resolveAllowed(url.hostname, urlPort(url), o.policy, deadline.signal);
  return new Client(url.origin, {
    connect: vettedConnector({
      addresses,
      ca: o.ca,
      signal: deadline.signal,
      onCertificate: o.onCertificate ?? (() => {}),
    }),
    pipelining: 0, // no keep-alive: one connection per request, closed after
    headersTimeout: deadline.remaining(),
    bodyTimeout: deadline.remaining(),
  });
}
