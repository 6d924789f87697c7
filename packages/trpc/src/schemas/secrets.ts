import { isCredentialName } from '@sextant/db';
import { AppError } from '../errors';
import { SECRET_MASK } from './secret-mask';

/**
 * The one definition of which parts of a check or scrape target are secret: the URL's userinfo (user name
 * and password: a user name alone is often the token), query parameters named like credentials
 * (`isCredentialName`), every request header value except a few well-known plain ones, and the request body.
 * Answers show SECRET_MASK in their place, to every role; an update that sends SECRET_MASK back keeps the
 * stored value, but only while the URL keeps its origin (a secret is never sent to a new host without being
 * typed again).
 */
export { SECRET_MASK } from './secret-mask';

/** Headers that never carry a credential; every other header's value is treated as secret. */
const PLAIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-language',
  'content-type',
  'if-modified-since',
  'if-none-match',
  'pragma',
  'user-agent',
  'x-requested-with',
]);

export function isSecretHeader(name: string): boolean {
  return !PLAIN_HEADERS.has(name.toLowerCase());
}

interface QueryPart {
  name: string;
  value: string;
  raw: string;
}

function queryParts(search: string): QueryPart[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((raw) => {
      const eq = raw.indexOf('=');
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return eq < 0
        ? { name: decode(raw), value: '', raw }
        : { name: decode(raw.slice(0, eq)), value: decode(raw.slice(eq + 1)), raw };
    });
}

/** Path → secret value of a URL: `url.username`, `url.password`, `url.query.<name>` (repeated names get `#n`). */
function urlSecrets(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return out;
  }
  if (url.username) out.set('url.username', safeDecode(url.username));
  if (url.password) out.set('url.password', safeDecode(url.password));
  const seen = new Map<string, number>();
  for (const part of queryParts(url.search)) {
    if (!isCredentialName(part.name) || part.value === '') continue;
    const n = seen.get(part.name) ?? 0;
    seen.set(part.name, n + 1);
    out.set(`url.query.${part.name}${n > 0 ? `#${n}` : ''}`, part.value);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Rewrites the URL's secret parts with `replace(path, value)`, leaving every other byte as it was. */
function rewriteUrl(raw: string, replace: (path: string, value: string) => string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username) url.username = encodeURIComponent(replace('url.username', safeDecode(url.username)));
  if (url.password) url.password = encodeURIComponent(replace('url.password', safeDecode(url.password)));
  const seen = new Map<string, number>();
  const parts = queryParts(url.search).map((part) => {
    if (!isCredentialName(part.name) || part.value === '') return part.raw;
    const n = seen.get(part.name) ?? 0;
    seen.set(part.name, n + 1);
    const value = replace(`url.query.${part.name}${n > 0 ? `#${n}` : ''}`, part.value);
    return `${part.raw.slice(0, part.raw.indexOf('='))}=${encodeURIComponent(value)}`;
  });
  url.search = parts.length > 0 ? `?${parts.join('&')}` : '';
  return url.href;
}

type Config = Record<string, unknown>;

function record(v: unknown): Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Config) : {};
}

/** Every secret of an HTTP check's (or scrape target's) config, by path, e.g. `headers.Authorization`. */
function secretsOf(config: unknown): Map<string, string> {
  const c = record(config);
  const out = typeof c.url === 'string' ? urlSecrets(c.url) : new Map<string, string>();
  for (const [name, value] of Object.entries(record(c.headers)))
    if (isSecretHeader(name) && typeof value === 'string' && value !== '') out.set(`headers.${name}`, value);
  if (typeof c.body === 'string' && c.body !== '') out.set('body', c.body);
  return out;
}

/** The config as anyone may see it, and the paths that were masked. */
export function maskConfig<T>(config: T): { config: T; masked: string[] } {
  const masked = [...secretsOf(config).keys()];
  if (masked.length === 0) return { config, masked };
  const c = { ...record(config) };
  if (typeof c.url === 'string') c.url = rewriteUrl(c.url, () => SECRET_MASK);
  if (c.headers) {
    c.headers = Object.fromEntries(
      Object.entries(record(c.headers)).map(([k, v]) => [
        k,
        masked.includes(`headers.${k}`) ? SECRET_MASK : v,
      ]),
    );
  }
  if (masked.includes('body')) c.body = SECRET_MASK;
  return { config: c as T, masked };
}

function originOf(url: unknown): string | null {
  try {
    return typeof url === 'string' ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/**
 * Forms only ever see secrets masked: saving one unchanged must keep the stored secret, not the mask.
 * Puts the stored value back wherever the input still holds SECRET_MASK. Refuses when there is nothing stored
 * under that path, or when the URL's origin changed (the secret would go to a host it was never typed for).
 */
export function restoreSecrets<T>(input: T, stored: unknown): T {
  const masked = [...secretsOf(input)].filter(([, v]) => v === SECRET_MASK).map(([path]) => path);
  if (masked.length === 0) return input;
  // Header names are case-insensitive: `authorization` keeps what `Authorization` stored.
  const kept = new Map([...secretsOf(stored)].map(([path, v]) => [lowerHeader(path), v]));
  const missing = masked.filter((path) => !kept.has(lowerHeader(path)));
  if (missing.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `No stored value to keep for ${missing.join(', ')}: type the value instead of ${SECRET_MASK}.`,
    );
  const from = originOf(record(stored).url);
  const to = originOf(record(input).url);
  if (from !== to)
    throw new AppError(
      'VALIDATION_FAILED',
      `The URL now points to another origin (${to}), so the stored secrets are not sent there: type ${masked.join(', ')} again or remove them.`,
    );
  const c = { ...record(input) };
  const keep = (path: string, value: string) =>
    value === SECRET_MASK ? kept.get(lowerHeader(path))! : value;
  if (typeof c.url === 'string') c.url = rewriteUrl(c.url, keep);
  if (c.headers) {
    c.headers = Object.fromEntries(
      Object.entries(record(c.headers)).map(([k, v]) => [
        k,
        typeof v === 'string' ? keep(`headers.${k}`, v) : v,
      ]),
    );
  }
  if (typeof c.body === 'string') c.body = keep('body', c.body);
  return c as T;
}

function lowerHeader(path: string): string {
  return path.startsWith('headers.') ? path.toLowerCase() : path;
}

/** Paths whose secret value differs between two configs: the audit says which secret changed, never to what. */
export function changedSecrets(before: unknown, after: unknown): string[] {
  const a = secretsOf(before);
  const b = secretsOf(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path)).sort();
}

/** An update's audited `after`: the masked row, plus which secrets were replaced (both sides show them masked alike). */
export function withChangedSecrets<T extends object>(shown: T, before: unknown, after: unknown) {
  const maskedChanged = changedSecrets(before, after);
  return maskedChanged.length > 0 ? { ...shown, maskedChanged } : shown;
}
