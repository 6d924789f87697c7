// Public status pages as rendered HTML, one copy per page version: a visitor costs one ETag check against the
// API (whose view cache LISTENs for changes) instead of a server render of every component's 90 daily bars.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** `/status/<slug>` itself; its confirm, unsubscribe and machine-readable edges are not pages of the cache. */
const PAGE = /^\/status\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/;
/** A signed-in reader may see a private page: those are rendered for them, never kept. */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;
/** Client-side navigations and prefetches ask for the RSC payload, not the HTML. */
const RSC_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-action'];
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const NONCE_SOURCES = /'nonce-[^']*'(?:\s+'strict-dynamic')?/;
/** Per response or recomputed on every hit. */
const NOT_KEPT = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'content-security-policy',
  'date',
  'keep-alive',
  'set-cookie',
  'transfer-encoding',
  'x-sextant-cache',
]);

/** The slug when this request may be answered from (and fill) the cache, else null. */
export function cacheableSlug(req) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const match = PAGE.exec(req.url ?? '');
  if (!match || match[1].length > 60) return null;
  if (RSC_HEADERS.some((h) => req.headers[h] !== undefined)) return null;
  if (SESSION_COOKIE.test(req.headers.cookie ?? '')) return null;
  return match[1];
}

/**
 * The page's CSP with its per-request nonce replaced by the hashes of the page's own inline scripts: the same
 * bytes go to every visitor, so a nonce would be public, while a hash admits exactly these scripts.
 */
export function hashPolicy(csp, html) {
  if (!NONCE_SOURCES.test(csp)) return null;
  const hashes = new Set();
  for (const [, attributes, body] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return csp.replace(NONCE_SOURCES, [...hashes].join(' ') || "'none'");
}

/**
 * @param {{ api: string, maxAgeMs?: number, checkMs?: number, maxEntries?: number, maxBytes?: number,
 *   now?: () => number, log?: (msg: string) => void }} options
 *   `maxAgeMs`: a copy is rendered again after this even if its version holds (the "Updated" time, no-JS readers);
 *   `checkMs`: a version answer is reused this long, so a burst of visitors costs one check.
 */
export function createStatusPageCache({
  api,
  maxAgeMs = 60_000,
  checkMs = 250,
  maxEntries = 200,
  maxBytes = 16 * 1024 * 1024,
  now = Date.now,
  log = (msg) => console.error(msg),
}) {
  /** slug → { version, body, gzip?, headers, csp, renderedAt } */
  const pages = new Map();
  /** slug → { at, answer: Promise<{ version } | null> } */
  const checks = new Map();

  /** The page's version from the API's Statuspage edge (its ETag), or null when it is private or unknown. */
  async function ask(slug, req) {
    const headers = {};
    // The API limits by the visitor's address (already normalized by start.mjs), as for the console's other calls.
    if (req.headers['x-forwarded-for']) headers['x-forwarded-for'] = req.headers['x-forwarded-for'];
    if (pages.has(slug)) headers['if-none-match'] = pages.get(slug).version;
    const res = await fetch(`${api}/status-pages/${slug}/api/v2/status.json`, {
      headers,
      signal: AbortSignal.timeout(2_000),
    });
    await res.arrayBuffer();
    if (res.status === 304) return { version: pages.get(slug)?.version ?? null };
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`status.json answered ${res.status}`);
    return { version: res.headers.get('etag') };
  }

  function versionOf(slug, req) {
    const known = checks.get(slug);
    if (known && now() - known.at < checkMs) return known.answer;
    const answer = ask(slug, req);
    checks.set(slug, { at: now(), answer });
    answer.catch(() => checks.delete(slug));
    if (checks.size > maxEntries) checks.delete(checks.keys().next().value);
    return answer;
  }

  function send(page, req, res) {
    const zipped = page.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = zipped ? page.gzip : page.body;
    res.statusCode = 200;
    for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
    res.setHeader('content-security-policy', page.csp);
    if (zipped) res.setHeader('content-encoding', 'gzip');
    res.setHeader('content-length', body.length);
    res.setHeader('x-sextant-cache', 'hit');
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Lets Next render this request and keeps a copy of what it wrote, if it is a whole, cookie-free 200 page. */
  function render(slug, version, req, res, handle) {
    // The copy is kept as plain bytes; it is compressed once, below, not per visitor.
    delete req.headers['accept-encoding'];
    const chunks = [];
    let size = 0;
    const keep = (chunk, encoding) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > maxBytes) return;
      const buf =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8')
          : chunk;
      size += buf.length;
      chunks.push(Buffer.from(buf));
    };
    const { write, end } = res;
    res.write = function (chunk, encoding, cb) {
      keep(chunk, encoding);
      return write.call(this, chunk, encoding, cb);
    };
    res.end = function (chunk, encoding, cb) {
      keep(chunk, encoding);
      return end.call(this, chunk, encoding, cb);
    };
    res.setHeader('x-sextant-cache', 'miss');
    res.once('finish', () => {
      const headers = res.getHeaders();
      if (
        version === null ||
        req.method !== 'GET' ||
        res.statusCode !== 200 ||
        size > maxBytes ||
        headers['set-cookie'] !== undefined ||
        headers['content-encoding'] !== undefined ||
        !String(headers['content-type'] ?? '').startsWith('text/html')
      )
        return;
      const body = Buffer.concat(chunks);
      const csp = hashPolicy(String(headers['content-security-policy'] ?? ''), body.toString('utf8'));
      if (!csp) return;
      const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !NOT_KEPT.has(name)));
      const vary = String(kept.vary ?? '');
      if (!/accept-encoding/i.test(vary)) kept.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
      const page = { version, body, headers: kept, csp, renderedAt: now() };
      pages.delete(slug);
      pages.set(slug, page);
      if (pages.size > maxEntries) pages.delete(pages.keys().next().value);
      gzipAsync(body).then(
        (zipped) => {
          page.gzip = zipped;
        },
        (err) => log(`status page cache: gzip failed: ${err.message}`),
      );
    });
    return handle(req, res);
  }

  /** Answers a cacheable request from the cache or renders it through `handle`; anything else goes to `handle`. */
  async function serve(req, res, handle) {
    const slug = cacheableSlug(req);
    if (!slug) return handle(req, res);
    let answer;
    try {
      answer = await versionOf(slug, req);
    } catch (err) {
      // The API is unreachable or failing: Next renders the page as it would without a cache (its error page).
      log(`status page cache: version check for ${slug} failed: ${err.message}`);
      return handle(req, res);
    }
    if (answer === null) {
      pages.delete(slug);
      return handle(req, res);
    }
    const page = pages.get(slug);
    if (page && page.version === answer.version && now() - page.renderedAt < maxAgeMs)
      return send(page, req, res);
    return render(slug, answer.version, req, res, handle);
  }

  return {
    serve,
    get size() {
      return pages.size;
    },
  };
}
