import type { NextRequest } from 'next/server';
import { handlers } from '~/auth/config';
import { clientIp } from '~/auth/request-info';
import { limitByAddress, tooManyAttempts, withAccountDelay } from '~/auth/sign-in-limits';

export const GET = handlers.GET;

/**
 * Every credentials POST counts against the caller's address before anything is read; the per-account delay
 * is applied inside `authorize`, on the very fields Auth.js checks.
 */
export async function POST(req: NextRequest) {
  const credentials = req.nextUrl.pathname.endsWith('/callback/credentials');
  if (credentials) {
    const retryAfter = await limitByAddress(clientIp(req.headers));
    if (retryAfter !== null) return tooManyAttempts(retryAfter);
  }
  return credentials ? withAccountDelay(() => handlers.POST(req)) : handlers.POST(req);
}
