// The public status page as visitors get it, from the console's Next.js server: its HTML (from the console's page
// cache, and rendered per request) vs. a static file of the same bytes served by the same server, and how long an
// incident update takes to show on the page.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './lib/cleanup';
import { startConsole } from './lib/console';
import { type LoadResult, type LoadSettings, load } from './lib/load';
import { percentile, positiveInt } from './lib/metrics';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(root, 'apps/web');
/** Next serves what public/ holds when it starts; the name is git-ignored and removed after the run. */
const STATIC_NAME = 'bench-status-baseline.html';
const UPDATE_SAMPLES = positiveInt('BENCH_STATUS_UPDATE_SAMPLES', 10);

interface ConsoleOptions {
  apiBase: string;
  databaseUrl: string;
  slug: string;
  /** Posts a public update with this text to the page's incident through the API. */
  postUpdate: (text: string) => Promise<void>;
}

export interface ConsoleFigures {
  bytes: number;
  staticRun: LoadResult;
  pageRun: LoadResult;
  /** The same page with a query string, which the cache passes to Next: a render per request. */
  renderRun: LoadResult;
  /** The cached answer's CSP: its length and how many inline-script hashes it lists. */
  policy: { bytes: number; hashes: number };
  update: { samples: number; p50: number; p95: number; max: number };
}

export async function consoleReads(
  cleanup: Cleanup,
  settings: LoadSettings,
  o: ConsoleOptions,
): Promise<ConsoleFigures> {
  if (!existsSync(path.join(WEB, '.next/BUILD_ID')))
    throw new Error('apps/web is not built: `pnpm bench` builds it, or run `pnpm build` first');
  // The page once, for its bytes: its own HTML becomes the static file, so both answers are the same size.
  let web = await startConsole(cleanup, { ...o, readyPath: `/status/${o.slug}` });
  const pageUrl = `${web.base}/status/${o.slug}`;
  const html = await (await fetch(pageUrl)).text();
  if (!html.includes('data-testid="status-page"')) throw new Error(`${pageUrl} did not render the page`);
  await web.stop();
  const publicDir = path.join(WEB, 'public');
  const madeDir = !existsSync(publicDir);
  const file = path.join(publicDir, STATIC_NAME);
  mkdirSync(publicDir, { recursive: true });
  writeFileSync(file, html);
  cleanup.add('static twin', () => rmSync(madeDir ? publicDir : file, { recursive: true, force: true }));
  web = await startConsole(cleanup, { ...o, readyPath: `/status/${o.slug}` });
  const staticUrl = `${web.base}/${STATIC_NAME}`;
  const twin = await fetch(staticUrl);
  const bytes = (await twin.arrayBuffer()).byteLength;
  if (!twin.ok || bytes !== Buffer.byteLength(html))
    throw new Error(`${staticUrl}: ${twin.status}, ${bytes} bytes`);

  const staticRun = await load('static file, same bytes (baseline)', staticUrl, settings);
  await sleep(1_000);
  const cachedUrl = `${web.base}/status/${o.slug}`;
  await (await fetch(cachedUrl)).arrayBuffer();
  const hit = await fetch(cachedUrl);
  await hit.arrayBuffer();
  // Proves the run below measures the cache, not a render per request.
  if (hit.headers.get('x-sextant-cache') !== 'hit')
    throw new Error(`${cachedUrl}: the second answer was not from the cache`);
  const csp = hit.headers.get('content-security-policy') ?? '';
  const policy = { bytes: csp.length, hashes: csp.match(/'sha256-/g)?.length ?? 0 };
  const pageRun = await load(`/status/${o.slug} (cached render)`, cachedUrl, settings);
  await sleep(1_000);
  const renderRun = await load(`/status/${o.slug}?render (per request)`, `${cachedUrl}?render`, settings);
  await sleep(1_000);
  const update = await updateToPage(cachedUrl, o.postUpdate);
  return { bytes, staticRun, pageRun, renderRun, policy, update };
}

/** From posting a public update (the API's answer included) to the first page HTML that carries it. */
async function updateToPage(pageUrl: string, postUpdate: (text: string) => Promise<void>) {
  const samples: number[] = [];
  for (let i = 0; i < UPDATE_SAMPLES; i++) {
    const text = `Bench update ${i} ${Math.random().toString(36).slice(2)}`;
    const start = performance.now();
    await postUpdate(text);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const html = await (await fetch(pageUrl)).text();
      if (html.includes(text)) break;
      if (Date.now() > deadline) throw new Error(`the page did not show "${text}" within 10 s`);
    }
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    samples: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.at(-1)!,
  };
}
