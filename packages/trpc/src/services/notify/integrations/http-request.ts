/** What an HTTP integration hands the transport: one POST, fully rendered (the transport adds nothing but the wire). */
import type { NotificationMessage } from '../message';
import { IntegrationConfigError } from './config-error';

export interface HttpRequest {
  /** http(s), without userinfo (credentials given in the URL become the Authorization header). */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Slack: a 2xx answer counts only when its body is exactly this. */
  expectBody?: string;
}

export const USER_AGENT = 'Sextant-Notify/1';

/** The headers every POST carries: JSON, our user agent, and the idempotency key so a receiver can drop a duplicate. */
export function baseHeaders(message: Pick<NotificationMessage, 'idempotencyKey'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'idempotency-key': message.idempotencyKey,
  };
}

/** Moves `user:password@` out of the URL into a Basic Authorization header (the origin we dial must not carry it). */
export function splitCredentials(raw: string): { url: string; authorization: string | null } {
  const url = parseHttpUrl(raw);
  if (!url.username && !url.password) return { url: url.href, authorization: null };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

export function jsonPost(
  url: string,
  message: Pick<NotificationMessage, 'idempotencyKey'>,
  payload: unknown,
  extra: Partial<Pick<HttpRequest, 'expectBody'>> = {},
): HttpRequest {
  const { url: plain, authorization } = splitCredentials(url);
  return {
    url: plain,
    headers: { ...baseHeaders(message), ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(payload),
    ...extra,
  };
}

/** An http(s) URL, or a configuration error that never repeats the URL (it may hold a token). */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new IntegrationConfigError('the integration URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new IntegrationConfigError(`the integration URL must be http(s), not ${url.protocol}`);
  return url;
}
