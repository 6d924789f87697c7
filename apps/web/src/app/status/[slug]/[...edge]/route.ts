import { randomUUID } from 'node:crypto';
import { SUBSCRIBER_LIMITS } from '@sextant/trpc/limits';
import { isStatusPageEdge, UNSUBSCRIBE_EDGE } from '@sextant/trpc/schemas';
import { clientIp } from '~/auth/request-info';
import { serverEnv } from '~/env';

// A public page's machine-readable edges at the page's own address (/status/<slug>/api/v2/summary.json, as
// Statuspage widgets expect), read from the API at request time so API_URL is the one the console runs with.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FORWARD_RESPONSE = [
  'content-type',
  'cache-control',
  'etag',
  'access-control-allow-origin',
  'cross-origin-resource-policy',
  'retry-after',
  'x-request-id',
];

const notFound = () => Response.json({ error: 'Not found.' }, { status: 404 });

export async function GET(req: Request, { params }: { params: Promise<{ slug: string; edge: string[] }> }) {
  const { slug, edge } = await params;
  const path = edge.join('/');
  if (slug.length > 60 || !SLUG.test(slug) || !isStatusPageEdge(path)) return notFound();
  const headers = new Headers({
    'x-request-id': req.headers.get('x-request-id') ?? randomUUID(),
    'x-forwarded-for': clientIp(req.headers),
  });
  const etag = req.headers.get('if-none-match');
  if (etag) headers.set('if-none-match', etag);
  try {
    const res = await fetch(`${serverEnv().API_URL}/status-pages/${slug}/${path}`, {
      headers,
      signal: AbortSignal.timeout(serverEnv().API_PROXY_TIMEOUT_MS),
      redirect: 'manual',
      cache: 'no-store',
    });
    const out = new Headers();
    for (const name of FORWARD_RESPONSE) {
      const value = res.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(res.status === 304 ? null : res.body, { status: res.status, headers: out });
  } catch {
    return Response.json({ error: 'The Sextant API is unreachable.' }, { status: 502 });
  }
}

/**
 * RFC 8058 one-click unsubscribe (List-Unsubscribe-Post of every notice mail): the one edge that takes a POST. Only
 * the token is forwarded; the body is the fixed `List-Unsubscribe=One-Click`.
 */
export async function POST(req: Request, { params }: { params: Promise<{ slug: string; edge: string[] }> }) {
  const { slug, edge } = await params;
  if (slug.length > 60 || !SLUG.test(slug) || edge.join('/') !== UNSUBSCRIBE_EDGE) return notFound();
  const token = new URL(req.url).searchParams.get('token') ?? '';
  if (!token || token.length > SUBSCRIBER_LIMITS.tokenLength)
    return Response.json({ error: 'Not a valid unsubscribe link.' }, { status: 400 });
  try {
    const res = await fetch(
      `${serverEnv().API_URL}/status-pages/${slug}/${UNSUBSCRIBE_EDGE}?token=${encodeURIComponent(token)}`,
      {
        method: 'POST',
        headers: {
          'x-request-id': req.headers.get('x-request-id') ?? randomUUID(),
          'x-forwarded-for': clientIp(req.headers),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'List-Unsubscribe=One-Click',
        signal: AbortSignal.timeout(serverEnv().API_PROXY_TIMEOUT_MS),
        redirect: 'manual',
        cache: 'no-store',
      },
    );
    return new Response(res.body, {
      status: res.status,
      headers: {
        'content-type': res.headers.get('content-type') ?? 'application/json',
        'cache-control': 'no-store',
      },
    });
  } catch {
    return Response.json({ error: 'The Sextant API is unreachable.' }, { status: 502 });
  }
}

export const dynamic = 'force-dynamic';
