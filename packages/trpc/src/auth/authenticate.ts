import { decode } from '@auth/core/jwt';
import {
  type Db,
  defaultSessionPolicy,
  type SessionPolicy,
  validateSession,
  verifyApiKey,
} from '@sextant/db';
import { parseCookie } from 'cookie';
import type { Identity } from '../context';
import type { ApiKeyCache } from './key-cache';

/** Auth.js cookie names: `__Secure-` over https; large tokens are split into `.0`, `.1`, … chunks. */
export const SESSION_COOKIES = ['__Secure-authjs.session-token', 'authjs.session-token'] as const;

/** jshttp's parser: a value that is not valid percent-encoding (`a=%`) stays as sent instead of throwing. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(header ? parseCookie(header) : {})) {
    if (value !== undefined) out.set(name, value);
  }
  return out;
}

export function sessionCookie(cookies: Map<string, string>): { name: string; value: string } | null {
  for (const name of SESSION_COOKIES) {
    const whole = cookies.get(name);
    if (whole) return { name, value: whole };
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return { name, value: chunks.join('') };
  }
  return null;
}

/** The key in `Authorization: Bearer <key>`; `undefined` without the header, `null` when it is malformed. */
export function bearerToken(authorization: string | undefined): string | null | undefined {
  if (!authorization) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
}

export interface AuthResult {
  identity: Identity | null;
  error: string | null;
  /** True when a browser session cookie was the credential (CSRF rules apply). */
  viaCookie: boolean;
}

export interface AuthOptions {
  secret: string;
  sessionPolicy?: SessionPolicy;
}

/** The API key of an `Authorization: Bearer` header; undefined without that header. The plain HTTP edges use it too. */
export async function authenticateApiKey(
  db: Db,
  authorization: string | undefined,
  /** The instance's verified keys (the evaluation edges); without it every request asks the database. */
  cache?: ApiKeyCache,
): Promise<AuthResult | undefined> {
  const token = bearerToken(authorization);
  if (token === undefined) return undefined;
  if (token === null)
    return { identity: null, error: 'Authorization must be "Bearer <api key>".', viaCookie: false };
  const key = cache ? await cache.verify(db, token) : await verifyApiKey(db, token);
  if (!key) return { identity: null, error: 'Invalid, expired or revoked API key.', viaCookie: false };
  return { identity: { type: 'api_key', ...key }, error: null, viaCookie: false };
}

/** The API's own check of every request: an API key in the Authorization header, or the console's session cookie. */
export async function authenticate(
  db: Db,
  headers: { authorization?: string; cookie?: string },
  options: AuthOptions,
): Promise<AuthResult> {
  const byKey = await authenticateApiKey(db, headers.authorization);
  if (byKey) return byKey;
  const cookie = sessionCookie(parseCookies(headers.cookie));
  if (!cookie) return { identity: null, error: null, viaCookie: false };
  const payload = await decode({ token: cookie.value, secret: options.secret, salt: cookie.name }).catch(
    () => null,
  );
  const sid = typeof payload?.sid === 'string' ? payload.sid : null;
  const session = sid ? await validateSession(db, sid, options.sessionPolicy ?? defaultSessionPolicy) : null;
  if (!session) return { identity: null, error: 'Your session has ended; sign in again.', viaCookie: true };
  return { identity: { type: 'user', ...session }, error: null, viaCookie: true };
}

/**
 * Cookie-authenticated writes must look like our console's own fetches: POST, JSON, allow-listed Origin.
 * A cross-site form or a `text/plain` "simple request" fails at least one of these.
 */
export function csrfProblem(
  req: { method: string; contentType?: string; origin?: string },
  allowedOrigins: readonly string[],
): string | null {
  if (req.method !== 'POST') return null;
  if (!req.contentType?.toLowerCase().startsWith('application/json')) {
    return 'Cookie-authenticated changes must be sent as application/json.';
  }
  if (!req.origin || !allowedOrigins.includes(req.origin)) return 'Request origin is not allowed.';
  return null;
}
