/**
 * Spec A8 "our retry policy", pure: what an HTTP status, a transport failure or an SMTP reply means for the next
 * attempt. 2xx success; 408, 425, 429, 5xx and network failures retryable; other 4xx and redirects permanent;
 * SMTP 4yz transient, 5yz permanent, address and message errors permanent. Retry-After is honoured, bounded.
 */
import type { SendClass } from './message';

/** Longest Retry-After we take at its word (a rate limit may ask for an hour); the delivery loop caps further. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

const RETRYABLE_STATUSES = new Set([408, 425, 429]);

export interface Classified {
  class: SendClass;
  retryAfterMs: number | null;
  /** One line for the console; null on success. */
  error: string | null;
}

/** `Retry-After` as seconds ("120", Discord's "1.5") or an HTTP date, in ms from `nowMs`, within [0, maxMs]. */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
  maxMs = RETRY_AFTER_MAX_MS,
): number | null {
  const text = value?.trim();
  if (!text) return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Math.ceil(Number(text) * 1000);
  else {
    // HTTP dates start with the day's name (RFC 9110 IMF-fixdate and the two obsolete forms); Date.parse takes
    // far more ("-5" is a year), so anything else is ignored.
    const at = /^[A-Za-z]{3,9},? /.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(maxMs, Math.max(0, ms));
}

/**
 * One HTTP answer. `bodyOk` is false when the service defines its success body (Slack's "ok") and this one
 * differs: the URL is then not the service's, and retrying will not change that.
 */
export function classifyHttp(
  status: number,
  o: { retryAfter?: string | null; nowMs: number; bodyOk?: boolean },
): Classified {
  if (status >= 200 && status < 300) {
    return o.bodyOk === false
      ? {
          class: 'permanent',
          retryAfterMs: null,
          error: `answered ${status} without the service's success body`,
        }
      : { class: 'success', retryAfterMs: null, error: null };
  }
  if (RETRYABLE_STATUSES.has(status) || (status >= 500 && status < 600)) {
    return {
      class: 'retryable',
      retryAfterMs: parseRetryAfter(o.retryAfter, o.nowMs),
      error: `answered ${status}`,
    };
  }
  if (status >= 300 && status < 400) {
    // Following it would send the payload (and its credentials) to a URL nobody configured; configure the final one.
    return {
      class: 'permanent',
      retryAfterMs: null,
      error: `answered ${status} (a redirect): not followed, notifications go only to the configured URL`,
    };
  }
  return { class: 'permanent', retryAfterMs: null, error: `answered ${status}` };
}

/**
 * A failure before any answer. `denied` (the outbound deny list) and `config` (unusable settings) are permanent:
 * only an admin's change helps. Timeouts, DNS, refused or reset connections and TLS failures are retryable.
 */
export function classifyTransport(kind: string): SendClass {
  return kind === 'denied' || kind === 'config' ? 'permanent' : 'retryable';
}

/** SMTP errors that are about the message or its addresses, not the server's state (nodemailer's codes). */
const SMTP_PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EREQUIRETLS', 'EAUTH']);

/** An SMTP failure: the reply code decides (4yz transient, 5yz permanent); without one, nodemailer's code does. */
export function classifySmtp(err: { responseCode?: number | null; code?: string | null }): SendClass {
  const reply = err.responseCode ?? null;
  if (reply !== null && reply >= 400 && reply < 500) return 'retryable';
  if (reply !== null && reply >= 500 && reply < 600) return 'permanent';
  return err.code && SMTP_PERMANENT_CODES.has(err.code) ? 'permanent' : 'retryable';
}
