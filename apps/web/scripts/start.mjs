// Serves the console (built, or `--dev`) from our own Node server, because Next does not tell route handlers
// which address a request came from: every request's forwarded headers are rewritten from its socket first.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NORMALIZED, normalizeForwarded, trustFromEnv } from './client-address.mjs';
import { createStatusPageCache } from './status-page-cache.mjs';

const dev = process.argv.includes('--dev');
process.env.NODE_ENV = dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const host = process.env.WEB_HOST || '127.0.0.1';
const port = Number(process.env.WEB_PORT || '3000');
const api = process.env.API_URL || 'http://127.0.0.1:4000';

let trust;
try {
  trust = trustFromEnv(process.env.WEB_TRUST_PROXY);
} catch (err) {
  console.error(`Invalid console configuration: WEB_TRUST_PROXY ${err.message}`);
  process.exit(1);
}

// Imported only now: Next reads NODE_ENV when it loads.
const { default: next } = await import('next');
const app = next({
  dev,
  dir: path.dirname(path.dirname(fileURLToPath(import.meta.url))),
  hostname: host,
  port,
});
const handle = app.getRequestHandler();
await app.prepare();
globalThis[NORMALIZED] = true;

// Development renders every page afresh: the cache would hide edits.
const statusPages = dev ? null : createStatusPageCache({ api });
const server = createServer((req, res) => {
  normalizeForwarded(req, trust);
  if (!statusPages) return handle(req, res);
  statusPages.serve(req, res, handle).catch((err) => {
    console.error(`status page cache: ${err.stack ?? err}`);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
});
server.listen(port, host, () => console.log(`\n  Sextant console   http://${host}:${port}   (API ${api})\n`));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => process.exit(0), 10_000).unref();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
