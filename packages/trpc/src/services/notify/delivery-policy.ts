/**
 * Spec A8 "our retry policy" as numbers and pure functions: full-jitter exponential backoff (cockatiel's
 * generator), Retry-After capped as classify.ts reads it, the 24 h max age, and the lease a claim takes. The outbox applies them.
 */
import { type IExponentialBackoffOptions, noJitterGenerator } from 'cockatiel';
import { type RateLimit, rateLimitOf } from './breakers';
import { RETRY_AFTER_MAX_MS } from './classify';

export const BACKOFF = { initialDelay: 1_000, maxDelay: 300_000, exponent: 2 } as const;
/** When an integration's settings name no timeout. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export interface DeliveryPolicy {
  /** From created_at (or the last "retry now"): a row still failing then is dead (NOTIFY_MAX_AGE_SECONDS). */
  maxAgeMs: number;
  rate: RateLimit;
  /** Sends one instance may have in flight to one endpoint: one slow endpoint cannot take every slot, so the others'
   * rows are not held behind it (spec B23 "ours"). */
  perEndpoint: number;
  /** [0, 1); Math.random in production, fixed in tests so the jitter is known. */
  random: () => number;
}

export function deliveryPolicy(o: {
  maxAgeSeconds?: number;
  ratePerMinute?: number;
  concurrency?: number;
  random?: () => number;
}): DeliveryPolicy {
  return {
    maxAgeMs: (o.maxAgeSeconds ?? 86_400) * 1000,
    rate: rateLimitOf(o.ratePerMinute ?? 60),
    perEndpoint: Math.max(1, Math.ceil((o.concurrency ?? 16) / 2)),
    random: o.random ?? Math.random,
  };
}

const options: IExponentialBackoffOptions<number> = { ...BACKOFF, generator: noJitterGenerator };

/** The ceiling of the delay before retry number `failures` (1 after the first failure): 1 s, 2 s, 4 s … 5 min. */
export function backoffCeilingMs(failures: number): number {
  return noJitterGenerator(Math.max(0, failures - 1), options)[0];
}

/**
 * The delay after the `failures`-th failed attempt: full jitter (uniform in [0, ceiling), as cockatiel's
 * fullJitterGenerator, with the random source injectable) or the remote's Retry-After when longer, capped.
 */
export function retryDelayMs(failures: number, retryAfterMs: number | null, random: () => number): number {
  const jitter = Math.floor(random() * backoffCeilingMs(failures));
  const asked = retryAfterMs === null ? 0 : Math.min(Math.max(0, retryAfterMs), RETRY_AFTER_MAX_MS);
  return Math.max(jitter, asked);
}

/** A claim's lease: twice the integration's timeout, so a live sender always finishes (and fences) first. */
export const leaseMsOf = (timeoutMs: number) => 2 * timeoutMs;
