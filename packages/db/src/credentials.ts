import { API_KEY_PREFIX } from './identity/api-keys';

/**
 * The one definition of a name (record field, HTTP header, URL query parameter) whose value is a credential.
 * Audit redaction, the secret rules of checks and scrape targets, and the API's request log all use it.
 *
 * - Stems count anywhere in the name: `access_token`, `X-Auth-Token`, `client_secret`, `passwd`, `oauth`,
 *   `Set-Cookie`, `X-Amz-Signature`, `apikey`, `id_jwt`, `bearer`, `credentials` (`author` is not `auth`).
 * - Short words count only as a whole word (camelCase, `_`, `-` and `.` separate words): `key`, `X-Api-Key`,
 *   `keyHash`, `sig`, `hash`, `pwd`, `pass`, `private_token`, `session`, `sid`, `PHPSESSID`; `keyword`,
 *   `hashtag` and `sessionsEnded` are not credentials.
 * - `code` counts only alone (an OAuth code), so `exitCode` stays readable.
 * - A name ending in the word `prefix` is not a credential: a prefix is published to tell credentials apart.
 */
const STEM =
  /token|secret|passw|passphrase|credential|auth(?!or(?!i[sz]))|cookie|jwt|bearer|signature|apikey/i;
const WORD = /^(key|sig|hash|pwd|pass|private|session|sid|\w*sessid|\w*sessionid)$/;

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isCredentialName(name: string): boolean {
  const w = words(name);
  if (w.at(-1) === 'prefix') return false;
  return STEM.test(name) || w.some((word) => WORD.test(word)) || (w.length === 1 && w[0] === 'code');
}

/** A whole API key (`sxt_` and 32 random bytes in base64url); the 12-character prefix alone does not match. */
const API_KEY = new RegExp(`${API_KEY_PREFIX}[A-Za-z0-9_-]{43}`, 'g');

export function containsApiKey(text: string): boolean {
  return text.includes(API_KEY_PREFIX) && new RegExp(API_KEY.source).test(text);
}

export function maskApiKeys(text: string, mask: string): string {
  return text.includes(API_KEY_PREFIX) ? text.replace(API_KEY, mask) : text;
}

/** An absolute URL inside free text: scheme, userinfo (up to its last `@`, as URL parsers read it), rest. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*@)?([^\s?#]*)(\?[^\s#]*)?/gi;

/**
 * Every URL inside `text` with its whole userinfo (a user name alone can be the token) and the values of
 * credential-named query parameters replaced by `mask`; everything else is left byte for byte.
 */
export function maskUrlCredentials(text: string, mask: string): string {
  if (!text.includes('://')) return text;
  return text.replace(
    URL_IN_TEXT,
    (_url, scheme: string, userinfo: string | undefined, rest: string, query: string | undefined) =>
      `${scheme}${userinfo === undefined ? '' : `${mask}@`}${rest}${query === undefined ? '' : maskQuery(query, mask)}`,
  );
}

function maskQuery(query: string, mask: string): string {
  return `?${query
    .slice(1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0 || !isCredentialName(safeDecode(part.slice(0, eq)))) return part;
      return `${part.slice(0, eq)}=${mask}`;
    })
    .join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
