import { randomUUID } from 'node:crypto';
import { trpcErrorBody } from '@sextant/trpc/error-codes';
import { clientIp } from '~/auth/request-info';
import { serverEnv } from '~/env';
import { readBoundedBody } from '~/server/bounded-body';

// Same-origin entry for the browser: cookies stay first-party and the API stays off the public origin.
const FORWARD_REQUEST = ['content-type', 'cookie', 'accept', 'origin', 'user-agent', 'trpc-accept'];
const FORWARD_RESPONSE = [
  'content-type',
  'x-request-id',
  'set-cookie',
  'retry-after',
  'cache-control',
  'vary',
];

/** tRPC's own error shape, so callers see a typed error rather than a parse failure (one body for a whole batch). */
function proxyError(status: number, message: string, requestId: string) {
  return Response.json(trpcErrorBody(status, message), { status, headers: { 'x-request-id': requestId } });
}

async function proxy(req: Request, { params }: { params: Promise<{ trpc: string }> }) {
  const { trpc } = await params;
  const incoming = new URL(req.url);
  const target = `${serverEnv().API_URL}/trpc/${encodeURIComponent(trpc).replaceAll('%2C', ',')}${incoming.search}`;
  const requestId = req.headers.get('x-request-id') ?? randomUUID();
  const headers = new Headers({ 'x-request-id': requestId });
  for (const name of FORWARD_REQUEST) {
    const value = req.headers.get(name);
    if (value) headers.set(name, value);
  }
  // The address the console saw, never one the caller wrote: the API trusts this hop.
  headers.set('x-forwarded-for', clientIp(req.headers));
  const limit = serverEnv().API_PROXY_BODY_LIMIT_BYTES;
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBoundedBody(req, limit);
  if (body === null) {
    return proxyError(413, `The request body is larger than the ${limit}-byte limit.`, requestId);
  }
  try {
    const res = await fetch(target, {
      method: req.method,
      headers,
      body,
      signal: AbortSignal.timeout(serverEnv().API_PROXY_TIMEOUT_MS),
      redirect: 'manual',
      cache: 'no-store',
    });
    const out = new Headers();
    for (const name of FORWARD_RESPONSE) {
      const value = name === 'set-cookie' ? res.headers.getSetCookie() : res.headers.get(name);
      if (Array.isArray(value)) for (const v of value) out.append(name, v);
      else if (value) out.set(name, value);
    }
    return new Response(res.body, { status: res.status, headers: out });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'is unreachable';
    return proxyError(502, `The Sextant API ${reason}.`, requestId);
  }
}

export const GET = proxy;
export const POST = proxy;
export const dynamic = 'force-dynamic';
