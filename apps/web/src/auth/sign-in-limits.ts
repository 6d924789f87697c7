import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { claimSignInAttempt, clearSignInFailures, hitRateLimit } from '@sextant/db';
import ipaddr from 'ipaddr.js';
import { CredentialsSignin } from 'next-auth';
import { serverEnv } from '~/env';
import { getDb } from '~/server/db';

/**
 * Sign-in limits (security spec requirement 20), counted in Postgres so every console instance shares them:
 * per client address, every credentials POST (SIGNIN_MAX_PER_IP a minute); per account, the email Auth.js
 * itself hands to `authorize`, with a growing delay after SIGNIN_FREE_FAILURES failures and no lock-out.
 * Either limit answers 429 with Retry-After, whatever the password.
 */

/** Refused by the per-account delay; Auth.js turns any CredentialsSignin into its usual failure. */
class SignInDelayed extends CredentialsSignin {
  override code = 'delayed';
}

// Set around Auth.js by the route, so a delay found inside `authorize` can still become a 429 with Retry-After.
const attempt = new AsyncLocalStorage<{ retryAfterSeconds?: number }>();

const accountPolicy = () => {
  const env = serverEnv();
  return {
    freeFailures: env.SIGNIN_FREE_FAILURES,
    windowSeconds: env.SIGNIN_WINDOW_MINUTES * 60,
    maxDelaySeconds: env.SIGNIN_MAX_DELAY_SECONDS,
  };
};

/** One bucket per IPv4 address, and per /64 for IPv6, where one subscriber usually holds the whole prefix. */
function addressBucket(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...prefix, 0, 0, 0, 0]).toString()}/64`;
}

export function tooManyAttempts(retryAfterSeconds: number): Response {
  return Response.json(
    {
      error: 'TooManyAttempts',
      message: 'Too many sign-in attempts. Try again later.',
      retryAfter: retryAfterSeconds,
    },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' } },
  );
}

/** Counts one attempt from this address; the seconds to wait when it is over the limit, else null. */
export async function limitByAddress(ip: string): Promise<number | null> {
  const max = serverEnv().SIGNIN_MAX_PER_IP;
  const state = await hitRateLimit(getDb().primary, `signin:ip:${addressBucket(ip)}`, {
    max,
    windowSeconds: 60,
  });
  return state.count > max ? state.retryAfterSeconds : null;
}

/** Runs Auth.js' credentials callback; a per-account delay met inside it becomes a 429. */
export async function withAccountDelay(run: () => Promise<Response>): Promise<Response> {
  const state: { retryAfterSeconds?: number } = {};
  const res = await attempt.run(state, run);
  return state.retryAfterSeconds ? tooManyAttempts(state.retryAfterSeconds) : res;
}

/** Called by `authorize` with the normalised email it is about to check; throws while the account must wait. */
export async function claimAccountAttempt(email: string): Promise<void> {
  const claim = await claimSignInAttempt(getDb().primary, email, accountPolicy());
  if (claim.allowed) return;
  const state = attempt.getStore();
  if (state) state.retryAfterSeconds = claim.retryAfterSeconds;
  throw new SignInDelayed();
}

export async function accountSignedIn(email: string): Promise<void> {
  await clearSignInFailures(getDb().primary, email);
}
