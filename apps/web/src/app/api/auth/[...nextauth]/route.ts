import { hitRateLimit } from '@sextant/db';
import type { NextRequest } from 'next/server';
import { handlers } from '~/auth/config';
import { accountKey, ipKey } from '~/auth/credentials';
import { clientIp } from '~/auth/request-info';
import { serverEnv } from '~/env';
import { getDb } from '~/server/db';

/**
 * Credentials sign-in is counted per account and per IP in Postgres (shared by every instance)
 * before Auth.js sees it; over the limit the answer is 429 with Retry-After, whatever the password.
 */
async function limitedSignIn(req: NextRequest): Promise<Response | null> {
  if (!req.nextUrl.pathname.endsWith('/callback/credentials')) return null;
  const env = serverEnv();
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get('email') ?? '').slice(0, 254);
  const window = env.SIGNIN_WINDOW_MINUTES * 60;
  const db = getDb().primary;
  const [byIp, byAccount] = await Promise.all([
    hitRateLimit(db, ipKey(clientIp(req.headers)), { max: env.SIGNIN_MAX_PER_IP, windowSeconds: window }),
    email
      ? hitRateLimit(db, accountKey(email), { max: env.SIGNIN_MAX_PER_ACCOUNT, windowSeconds: window })
      : null,
  ]);
  // `limited` means the count reached the maximum; the attempt that reaches it is still let through.
  const over = [
    byIp.count > env.SIGNIN_MAX_PER_IP ? byIp : null,
    byAccount && byAccount.count > env.SIGNIN_MAX_PER_ACCOUNT ? byAccount : null,
  ].filter((s) => s !== null);
  if (over.length === 0) return null;
  const retryAfter = Math.max(...over.map((s) => s.retryAfterSeconds || window));
  return Response.json(
    { error: 'TooManyAttempts', message: 'Too many sign-in attempts. Try again later.', retryAfter },
    { status: 429, headers: { 'retry-after': String(retryAfter), 'cache-control': 'no-store' } },
  );
}

export const GET = handlers.GET;

export async function POST(req: NextRequest) {
  return (await limitedSignIn(req)) ?? handlers.POST(req);
}
