import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileOutbound, type OutboundRules } from '@sextant/trpc';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createSendNotification, type SendOptions } from '../../src/notify';

/** A loader as the server builds it, under the built-in rules plus these admin lists. */
export function outbound(rules: Partial<OutboundRules> = {}) {
  const policy = compileOutbound({ deny: [], allow: [], ...rules });
  return async () => ({ outbound: policy });
}

/** Loopback is refused by default; tests reach their local servers through an explicit allow entry. */
export const sendLoopback = (options: SendOptions = {}) =>
  createSendNotification(outbound({ allow: ['127.0.0.1'] }), options);

export { testAlert as alert, testMessage as message, testTarget as target } from '@sextant/trpc/testing';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (req: Received, res: ServerResponse) => void;

/** A local HTTP server standing in for a service: records every request, answers with `answer` (default 200 "ok"). */
export async function collector(answer: Answer = (_r, res) => res.end('ok')) {
  const received: Received[] = [];
  let handler = answer;
  const server = http.createServer((req, res) => {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      handler(r, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    port,
    base: `http://127.0.0.1:${port}`,
    server,
    answer(next: Answer) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = <T = Record<string, unknown>>(r: Received) => JSON.parse(r.body) as T;

/** A plain SMTP server on 127.0.0.1 capturing each message parsed, with its raw header lines. */
export async function startSmtp() {
  const captured: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      void simpleParser(stream).then((mail) => {
        captured.push(mail);
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
