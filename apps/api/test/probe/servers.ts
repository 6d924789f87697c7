import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll } from 'vitest';

export const MiB = 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Running {
  port: number;
  close(): Promise<void>;
}

async function listen(server: http.Server | net.Server, host = '127.0.0.1'): Promise<Running> {
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      if (server instanceof http.Server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The routes every test server answers. */
export const routes: Handler = (req, res) => {
  res.on('error', () => {});
  req.on('error', () => {});
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
  switch (url.pathname) {
    case '/ok':
      return send(200, 'all systems ok');
    case '/500':
      return send(500, 'boom');
    case '/slow':
      setTimeout(() => send(200, 'late'), 3_000).unref();
      return;
    case '/slow-body':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return; // never ends
    case '/json':
      return send(200, JSON.stringify({ status: 'ok', version: 3, checks: [{ name: 'db', up: true }] }), {
        'content-type': 'application/json',
      });
    case '/json-invalid':
      return send(200, '{"status": "ok"', { 'content-type': 'application/json' });
    case '/echo':
      void readBody(req).then((body) =>
        send(200, JSON.stringify({ method: req.method, headers: req.headers, body }), {
          'content-type': 'application/json',
        }),
      );
      return;
    case '/redirect':
      return send(Number(url.searchParams.get('status') ?? 302), '', {
        location: url.searchParams.get('to') ?? '/ok',
      });
    case '/loop':
      return send(302, '', { location: '/loop' });
    case '/big': {
      // 5 MiB of filler, then the keyword after the 1 MiB cap.
      const chunk = Buffer.alloc(64 * 1024, 'a');
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const pump = () => {
        while (sent < 5 * MiB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('NEEDLE');
      };
      res.on('close', () => {
        sent = Number.POSITIVE_INFINITY;
      });
      pump();
      return;
    }
    default:
      return send(404, 'not found');
  }
};

export function startHttp(host = '127.0.0.1'): Promise<Running> {
  return listen(http.createServer(routes), host);
}

export interface Cert {
  key: string;
  cert: string;
  notAfter: Date;
}

/** A self-signed EC certificate for the given DNS names / IPs. */
export async function makeCert(opts: {
  names?: string[];
  ips?: string[];
  notAfter?: Date;
  notBefore?: Date;
}): Promise<Cert> {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  // Whole seconds: X.509 times carry no milliseconds.
  const notAfter = new Date(
    Math.floor((opts.notAfter ?? new Date(Date.now() + 30 * 24 * 3600_000)).getTime() / 1000) * 1000,
  );
  const names = opts.names ?? ['localhost'];
  const pems = await selfsigned.generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.map((value) => ({ type: 2 as const, value })),
          ...(opts.ips ?? ['127.0.0.1']).map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, notAfter };
}

export function startHttps(cert: Cert): Promise<Running> {
  return listen(https.createServer({ key: cert.key, cert: cert.cert }, routes));
}

export function startTcp(host = '127.0.0.1'): Promise<Running> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.end();
  });
  return listen(server, host);
}

/** A port that nothing listens on (bound, read, released). */
export async function closedPort(): Promise<number> {
  const server = await startTcp();
  await server.close();
  return server.port;
}

/**
 * A listener whose thread never accepts and whose backlog is full, so new connects hang
 * (the SYN is dropped) — a deterministic connect timeout on loopback.
 */
export async function startBlackhole(): Promise<Running & { filled: boolean }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const server = require('node:net').createServer();
     server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0); // block this thread's event loop: nothing is ever accepted
       server.close();
     });`,
    { eval: true, workerData: gate },
  );
  const [port] = (await once(worker, 'message')) as [number];
  const fillers: net.Socket[] = [];
  let filled = false;
  for (let i = 0; i < 16 && !filled; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250)),
    ]);
    filled = !connected;
  }
  return {
    port,
    filled,
    async close() {
      for (const socket of fillers) socket.destroy();
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      await once(worker, 'exit');
    },
  };
}

/** An HTTP test server on 127.0.0.1 and one on ::1 for the whole file; `base` is the IPv4 one's URL. */
export function useDualStack() {
  const servers = {} as { v4: Running; v6: Running; base: string };
  beforeAll(async () => {
    servers.v4 = await startHttp();
    servers.v6 = await startHttp('::1');
    servers.base = `http://127.0.0.1:${servers.v4.port}`;
  });
  afterAll(async () => {
    await servers.v4?.close();
    await servers.v6?.close();
  });
  return servers;
}
