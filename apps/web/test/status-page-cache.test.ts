import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheableSlug, createStatusPageCache, hashPolicy } from '../scripts/status-page-cache.mjs';

/** The API's Statuspage edge as the cache reads it: an ETag per page, 304 on a match, 404 for private pages. */
const versions = new Map<string, string>();
let apiChecks = 0;
let apiUp = true;
/** What the stand-in for Next renders, and how often it did. */
let renders = 0;
let renderAs: (res: ServerResponse, nonce: string) => void;

const SCRIPT_A = 'self.__next_f.push([1,"a"])';
const SCRIPT_B = '(function(){document.documentElement.dataset.t="x"})()';
const csp = (nonce: string) =>
  `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'`;

function page(res: ServerResponse, nonce: string) {
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', csp(nonce));
  res.setHeader('x-frame-options', 'DENY');
  // Streamed in parts, as Next writes a page.
  res.write(
    `<!DOCTYPE html><html><head><script src="/_next/static/main.js" nonce="${nonce}" async></script>`,
  );
  res.write(`<script nonce="${nonce}">${SCRIPT_B}</script></head><body><h1>Render ${renders}</h1>`);
  res.end(`<script nonce="${nonce}">${SCRIPT_A}</script></body></html>`);
}

const handle = (_req: IncomingMessage, res: ServerResponse) => {
  renders += 1;
  renderAs(res, `n${renders}`);
};

let clock = 0;
let api: Server;
let web: Server;
let base: string;
let cache: ReturnType<typeof createStatusPageCache>;
const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

beforeAll(async () => {
  api = createServer((req, res) => {
    apiChecks += 1;
    const slug = /^\/status-pages\/([^/]+)\/api\/v2\/status\.json$/.exec(req.url ?? '')?.[1] ?? '';
    const version = versions.get(slug);
    if (!apiUp) return res.writeHead(500).end();
    if (!version) return res.writeHead(404).end('{"error":"Not found."}');
    if (req.headers['if-none-match'] === version) return res.writeHead(304, { etag: version }).end();
    res.writeHead(200, { etag: version, 'content-type': 'application/json' }).end('{}');
  });
  const apiBase = await listen(api);
  web = createServer((req, res) => {
    void cache.serve(req, res, handle);
  });
  base = await listen(web);
  cache = createStatusPageCache({
    api: apiBase,
    maxAgeMs: 60_000,
    checkMs: 0,
    now: () => clock,
    log: () => {},
  });
});

afterAll(() => {
  api.close();
  web.close();
});

beforeEach(() => {
  renderAs = page;
  apiUp = true;
});
afterEach(() => {
  clock += 120_000;
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('the console’s cache of public status pages', () => {
  it('renders a page once per version and serves the copy with a hash policy instead of a nonce', async () => {
    versions.set('acme', '"j-1"');
    const before = renders;
    const first = await get('/status/acme');
    expect(first.headers.get('x-sextant-cache')).toBe('miss');
    expect(first.headers.get('content-security-policy')).toContain("'nonce-");
    const html = await first.text();
    const second = await get('/status/acme');
    expect(second.headers.get('x-sextant-cache')).toBe('hit');
    expect(await second.text()).toBe(html);
    expect(renders - before).toBe(1);
    // Exactly the page's two inline scripts; the external one is admitted by 'self'.
    expect(second.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self' ${sha(SCRIPT_B)} ${sha(SCRIPT_A)}; object-src 'none'`,
    );
    expect(second.headers.get('x-frame-options')).toBe('DENY');
    expect(second.headers.get('vary')).toMatch(/accept-encoding/i);

    versions.set('acme', '"j-2"');
    const changed = await get('/status/acme');
    expect(changed.headers.get('x-sextant-cache')).toBe('miss');
    expect(await changed.text()).not.toBe(html);
    expect((await get('/status/acme')).headers.get('x-sextant-cache')).toBe('hit');
    expect(renders - before).toBe(2);
  });

  it('renders again after the maximum age even when the version holds', async () => {
    versions.set('aged', '"j-1"');
    await (await get('/status/aged')).text();
    clock += 30_000;
    expect((await get('/status/aged')).headers.get('x-sextant-cache')).toBe('hit');
    clock += 31_000;
    expect((await get('/status/aged')).headers.get('x-sextant-cache')).toBe('miss');
  });

  it('serves a gzip copy to readers that accept it, and HEAD without a body', async () => {
    versions.set('zipped', '"j-1"');
    const html = await (await get('/status/zipped')).text();
    // Compression runs once, after the copy is kept.
    let zipped: Response | undefined;
    for (let i = 0; i < 50 && !zipped; i++) {
      const res = await get('/status/zipped', { 'accept-encoding': 'gzip' });
      if (res.headers.get('content-encoding') === 'gzip') zipped = res;
      else await res.arrayBuffer();
    }
    expect(zipped).toBeDefined();
    // fetch decompresses what it asked for.
    expect(await zipped!.text()).toBe(html);
    const plain = await get('/status/zipped', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(html);
    const head = await fetch(`${base}/status/zipped`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(head.headers.get('x-sextant-cache')).toBe('hit');
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('keeps nothing for a private or unknown page, a failing API, or an answer that is not a plain page', async () => {
    const before = renders;
    // A HEAD render has no body to keep.
    versions.set('headless', '"j-1"');
    const head = await fetch(`${base}/status/headless`, { method: 'HEAD' });
    expect(head.headers.get('x-sextant-cache')).toBe('miss');
    const afterHead = await get('/status/headless');
    expect(afterHead.headers.get('x-sextant-cache')).toBe('miss');
    expect(await afterHead.text()).toContain('</html>');
    for (let i = 0; i < 2; i++)
      expect((await get('/status/private-one')).headers.get('x-sextant-cache')).toBeNull();
    versions.set('cookie', '"j-1"');
    renderAs = (res, nonce) => {
      res.setHeader('set-cookie', 'a=b');
      page(res, nonce);
    };
    for (let i = 0; i < 2; i++)
      expect((await get('/status/cookie')).headers.get('x-sextant-cache')).toBe('miss');
    versions.set('broken', '"j-1"');
    renderAs = (res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Error</h1>');
    for (let i = 0; i < 2; i++) expect((await get('/status/broken')).status).toBe(500);
    renderAs = page;
    apiUp = false;
    for (let i = 0; i < 2; i++)
      expect((await get('/status/cookie')).headers.get('x-sextant-cache')).toBeNull();
    expect(renders - before).toBe(10);
    expect(cache.size).toBeGreaterThan(0);
  });

  it('passes signed-in readers, navigations, queries and other paths straight to Next', async () => {
    versions.set('acme', '"j-9"');
    await (await get('/status/acme')).text();
    const before = renders;
    const checks = apiChecks;
    for (const [path, headers] of [
      ['/status/acme', { cookie: 'theme=dark; authjs.session-token=abc' }],
      ['/status/acme', { cookie: '__Secure-authjs.session-token.0=abc' }],
      ['/status/acme', { rsc: '1' }],
      ['/status/acme?x=1', {}],
      ['/status/acme/confirm', {}],
      ['/status/Acme', {}],
    ] as const) {
      const res = await get(path, headers);
      expect(res.headers.get('x-sextant-cache')).toBeNull();
      await res.arrayBuffer();
    }
    expect(renders - before).toBe(6);
    expect(apiChecks).toBe(checks);
    expect(cacheableSlug({ method: 'POST', url: '/status/acme', headers: {} } as IncomingMessage)).toBeNull();
  });

  it('shares one version check among concurrent readers', async () => {
    let now = 0;
    const counted = createStatusPageCache({
      api: base.replace(/:\d+$/, `:${(api.address() as AddressInfo).port}`),
      checkMs: 250,
      now: () => now,
      log: () => {},
    });
    versions.set('burst', '"j-1"');
    const server = createServer((req, res) => void counted.serve(req, res, handle));
    const url = await listen(server);
    try {
      await (await fetch(`${url}/status/burst`)).text();
      const checks = apiChecks;
      now = 1_000;
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/status/burst`)));
      expect(answers.every((r) => r.headers.get('x-sextant-cache') === 'hit')).toBe(true);
      await Promise.all(answers.map((r) => r.arrayBuffer()));
      expect(apiChecks - checks).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('hashPolicy', () => {
  it('needs a nonce policy to replace', () => {
    expect(hashPolicy("script-src 'self' 'unsafe-inline'", '<script>x</script>')).toBeNull();
  });
});
