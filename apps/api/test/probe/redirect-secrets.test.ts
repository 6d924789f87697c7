import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpCheckConfig } from '../../src/monitoring/probe';
import { probe } from '../../src/monitoring/probe';
import { allowLoopback, httpCheck } from './checks';
import { type Cert, makeCert, type Running, startHttps } from './servers';

/** Two servers on 127.0.0.1, so two origins; both only echo or redirect, and remember what they were sent. */
let first: Server;
let second: Server;
let firstBase: string;
let secondBase: string;
let tls: Running;
let cert: Cert;
/** The headers and body the last echo request arrived with. */
const last: { headers: IncomingHttpHeaders | null; body: string | null } = { headers: null, body: null };
/** Read through a call, so the reset before each probe does not narrow the type for the rest of the test. */
const received = (): IncomingHttpHeaders | null => last.headers;

function server(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') {
      res.writeHead(Number(url.searchParams.get('status') ?? 307), {
        location: url.searchParams.get('to') ?? '/',
      });
      return res.end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      last.headers = req.headers;
      last.body = Buffer.concat(chunks).toString();
      res.end('ok');
    });
  });
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  first = server();
  second = server();
  firstBase = await listen(first);
  secondBase = await listen(second);
  cert = await makeCert({ names: ['localhost'] });
  tls = await startHttps(cert); // its /redirect answers 302 to ?to=
});
afterAll(async () => {
  first.close();
  second.close();
  await tls.close();
});

const SECRET_HEADERS = {
  Authorization: 'Bearer s-auth',
  Cookie: 'sid=s-cookie',
  'Proxy-Authorization': 'Basic s-proxy',
  'X-Api-Key': 's-key',
  'X-Tenant-Token': 's-tenant',
};
const names = Object.keys(SECRET_HEADERS).map((n) => n.toLowerCase());

/** Probes `from`'s /redirect to `to`'s /echo with the secret headers, after forgetting the last echo. */
function probeRedirect(from: string, to: string, check: Partial<HttpCheckConfig> = {}) {
  last.headers = null;
  const url = `${from}/redirect?to=${encodeURIComponent(`${to}/echo`)}`;
  return probe(httpCheck(url, { headers: SECRET_HEADERS, ...check }), allowLoopback);
}

describe('redirects and secret headers', () => {
  it('keeps every header on a same-origin redirect', async () => {
    const result = await probeRedirect(firstBase, firstBase, {
      headers: { ...SECRET_HEADERS, Accept: 'text/plain' },
    });
    expect(result).toMatchObject({ ok: true });
    for (const name of names) expect(received()?.[name], name).toBeDefined();
  });

  it('drops secret headers on a cross-origin redirect and keeps plain ones', async () => {
    const result = await probeRedirect(firstBase, secondBase, {
      headers: { ...SECRET_HEADERS, Accept: 'text/plain' },
    });
    expect(result).toMatchObject({ ok: true });
    expect(received()).not.toBeNull();
    for (const name of names) expect(received()?.[name], name).toBeUndefined();
    expect(received()?.accept).toBe('text/plain');
  });

  it('drops them when https redirects down to http', async () => {
    const result = await probeRedirect(`https://localhost:${tls.port}`, secondBase, { ca: cert.cert });
    expect(result).toMatchObject({ ok: true });
    expect(received()).not.toBeNull();
    for (const name of names) expect(received()?.[name], name).toBeUndefined();
  });

  it('does not carry URL credentials across origins either', async () => {
    last.headers = null;
    const to = `${secondBase}/echo`;
    const url = new URL(`${firstBase}/redirect?to=${encodeURIComponent(to)}`);
    url.username = 'probe';
    url.password = 's-url-pass';
    const result = await probe(httpCheck(url.href), allowLoopback);
    expect(result).toMatchObject({ ok: true });
    expect(received()?.authorization).toBeUndefined();
  });

  it('does not send a request body to another origin: a cross-origin 307 or 308 is not followed', async () => {
    // A 302 after PUT keeps method and body too (only POST turns into a GET).
    for (const [status, method] of [
      [307, 'POST'],
      [308, 'POST'],
      [302, 'PUT'],
    ] as const) {
      last.headers = null;
      last.body = null;
      const to = `${secondBase}/echo`;
      const result = await probe(
        httpCheck(`${firstBase}/redirect?status=${status}&to=${encodeURIComponent(to)}`, {
          method,
          body: 's-body',
        }),
        allowLoopback,
      );
      expect(result, String(status)).toMatchObject({ ok: false, errorClass: 'status', httpStatus: status });
      expect(result.message).toMatch(/another origin.*not followed.*request body/);
      expect(received(), String(status)).toBeNull();
      expect(last.body).toBeNull();
    }
  });

  it('keeps the body on a same-origin 307, and drops it where the redirect turns into a GET', async () => {
    last.body = null;
    const post = (url: string) => httpCheck(url, { method: 'POST', body: 's-body' });
    const same = await probe(post(`${firstBase}/redirect?to=${encodeURIComponent('/echo')}`), allowLoopback);
    expect(same).toMatchObject({ ok: true });
    expect(last.body).toBe('s-body');
    const to = encodeURIComponent(`${secondBase}/echo`);
    const seeOther = await probe(post(`${firstBase}/redirect?status=303&to=${to}`), allowLoopback);
    expect(seeOther).toMatchObject({ ok: true });
    expect(received()?.['content-length']).toBeUndefined();
    expect(last.body).toBe('');
  });
});
