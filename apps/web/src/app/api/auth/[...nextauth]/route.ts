import { NextRequest } from 'next/server';
import { handlers } from '~/auth/config';
import { clientIp } from '~/auth/request-info';
import { limitByAddress, tooManyAttempts, withAccountDelay } from '~/auth/sign-in-limits';
import { readBoundedBody } from '~/server/bounded-body';

// Email, password, CSRF token and a callback path fit many times over.
const BODY_LIMIT_BYTES = 16 * 1024;

export const GET = handlers.GET;

/**
 * Every credentials POST counts against the caller's address before anything is read; the per-account delay
 * is applied inside `authorize`, on the very fields Auth.js checks. Bodies are read here, bounded, once.
 */
export async function POST(req: NextRequest) {
  const credentials = req.nextUrl.pathname.endsWith('/callback/credentials');
  if (credentials) {
    const retryAfter = await limitByAddress(clientIp(req.headers));
    if (retryAfter !== null) return tooManyAttempts(retryAfter);
  }
  const body = await readBoundedBody(req, BODY_LIMIT_BYTES);
  if (!body) {
    return Response.json(
      {
        error: 'PayloadTooLarge',
        message: `The request body is larger than the ${BODY_LIMIT_BYTES}-byte limit.`,
      },
      { status: 413 },
    );
  }
  const bounded = new NextRequest(req.url, { method: 'POST', headers: req.headers, body });
  return credentials ? withAccountDelay(() => handlers.POST(bounded)) : handlers.POST(bounded);
}
