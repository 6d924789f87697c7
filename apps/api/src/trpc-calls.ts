import { appRouter, TRPC_MAX_BATCH } from '@sextant/trpc';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpError } from './http-error';

declare module 'fastify' {
  interface FastifyRequest {
    /** trpcCalls' answer, worked out once per request. */
    sextantTrpcCalls: string[] | null;
  }
}

/** The route the tRPC adapter registers under the `/trpc` prefix. */
export const TRPC_ROUTE = '/trpc/:path';
// From the router itself, so a new procedure gets its own label with no list to keep in step.
const PROCEDURES: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The calls tRPC will run for this request, read the way its fetch handler reads them: a batch when the URL's
 * first `batch` value is exactly `1` (URLSearchParams.get, so `batch=1&batch=0` is a batch), and then the path,
 * percent-decoded once more, split on commas. A request tRPC refuses before running anything (bad encoding, a
 * HEAD, a multipart body) may be counted as its path spells it: never fewer calls than tRPC runs.
 */
function readCalls(req: FastifyRequest): string[] {
  const path = (req.params as { path?: string }).path ?? '';
  if (!req.url.includes('?')) return [path];
  let batch: boolean;
  try {
    batch = new URL(req.url, 'http://x').searchParams.get('batch') === '1';
  } catch {
    return [path]; // tRPC answers "Invalid URL" and runs nothing
  }
  if (!batch) return [path];
  try {
    return decodeURIComponent(path).split(',');
  } catch {
    return path.split(','); // tRPC answers 400 on a malformed escape
  }
}

/** The procedure paths a tRPC request names (several in a batch); null on other routes. */
export function trpcCalls(req: FastifyRequest, routeUrl = req.routeOptions.url): string[] | null {
  if (routeUrl !== TRPC_ROUTE) return null;
  req.sextantTrpcCalls ??= readCalls(req);
  return req.sextantTrpcCalls;
}

/**
 * Metric labels no caller can mint: a known procedure name or `unknown`, a route pattern or `unmatched`, a
 * standard method or `other`. Each made-up value would otherwise add a counter and 16 histogram series for good.
 */
export function requestLabels(req: FastifyRequest): { procedures: string[]; method: string } {
  const method = METHODS.has(req.method) ? req.method : 'other';
  // Fastify builds routeOptions afresh on every read: once per request here.
  const routeUrl = req.routeOptions.url;
  const calls = trpcCalls(req, routeUrl);
  if (!calls) return { procedures: [routeUrl ?? 'unmatched'], method };
  if (calls.length > TRPC_MAX_BATCH) return { procedures: ['unknown'], method };
  return { procedures: calls.map((p) => (PROCEDURES.has(p) ? p : 'unknown')), method };
}

/**
 * A batch over TRPC_MAX_BATCH is refused before its body is read, and each call of a batch beyond the first
 * costs one more unit of the per-IP rate limit (the plugin's own hook charged the first).
 */
export function limitTrpcBatches(app: FastifyInstance, options: { rateLimited: boolean }) {
  app.decorateRequest('sextantTrpcCalls', null);
  const charge = options.rateLimited ? app.createRateLimit() : null;
  app.addHook('preParsing', async (req, reply, payload) => {
    const calls = trpcCalls(req);
    if (!calls || calls.length === 1) return payload;
    if (calls.length > TRPC_MAX_BATCH) {
      throw httpError(
        400,
        'BATCH_TOO_LARGE',
        `A batch may hold at most ${TRPC_MAX_BATCH} calls; this one holds ${calls.length}.`,
      );
    }
    for (let i = 1; charge && i < calls.length; i++) {
      const limit = await charge(req);
      if (limit.isAllowed) break; // allow-listed key
      reply.header('x-ratelimit-remaining', limit.remaining);
      if (limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        throw httpError(429, 'RATE_LIMITED', `Rate limit exceeded, retry in ${limit.ttlInSeconds} seconds.`);
      }
    }
    return payload;
  });
}
