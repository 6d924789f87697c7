import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook request as the receiver saw it. */
export interface Received {
  /** Epoch ms when the body was complete. */
  at: number;
  /** The path after the collector's base: the receiver the test pointed there. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Collector {
  /** `http://127.0.0.1:port`. */
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A webhook receiver that answers 200 to every POST and keeps what it got, in arrival order; `delayMs` holds the
 * answer to a path back, as a remote receiver's latency would.
 */
export async function startCollector(delayMs: (path: string) => number = () => 0): Promise<Collector> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { unreadable: Buffer.concat(chunks).toString('utf8') };
      }
      const path = req.url ?? '/';
      received.push({ at: Date.now(), path, headers: req.headers, body });
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), delayMs(path));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
