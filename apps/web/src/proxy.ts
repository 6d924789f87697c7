import { type NextRequest, NextResponse } from 'next/server';

/** A public page's JSON, feeds and badges keep the API's own caching headers (see status/[slug]/[...edge]). */
const STATUS_EDGE = /^\/status\/[^/]+\/(?:api\/|history\.|badge\.svg|components\/)/;

/**
 * Per-request CSP nonce (Next applies it to its own scripts), the pathname for server layouts,
 * and no-store on pages so the Back button after sign-out cannot show a cached console page.
 */
export function proxy(request: NextRequest) {
  if (STATUS_EDGE.test(request.nextUrl.pathname)) return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const dev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // A status page's logo lives on whatever host its admin chose; only those pages may load one.
    `img-src 'self' blob: data:${request.nextUrl.pathname.startsWith('/status/') ? ' https:' : ''}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('x-pathname', request.nextUrl.pathname + request.nextUrl.search);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  response.headers.set('cache-control', 'no-store, max-age=0');
  // A share link's page: its token must not leak through Referer, and search engines must not keep it.
  if (request.nextUrl.pathname.startsWith('/share/')) {
    response.headers.set('referrer-policy', 'no-referrer');
    response.headers.set('x-robots-tag', 'noindex, nofollow');
  }
  return response;
}

export const config = {
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
