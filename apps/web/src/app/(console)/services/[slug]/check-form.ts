import type { RouterInputs } from '~/lib/router-types';
import { type CheckRow, record } from './types';

export type CheckInput = RouterInputs['checks']['create']['check'];
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/** What the inputs hold, as text; parsed and checked on submit. */
export interface CheckFormValues {
  kind: 'http' | 'tcp';
  name: string;
  environmentId: string;
  intervalSeconds: string;
  timeoutMs: string;
  failureThreshold: string;
  successThreshold: string;
  latencyThresholdMs: string;
  method: string;
  url: string;
  expectedStatus: string;
  headers: string;
  body: string;
  keyword: string;
  jsonPath: string;
  jsonEquals: string;
  followRedirects: boolean;
  host: string;
  port: string;
}
export type CheckFormErrors = Partial<Record<keyof CheckFormValues, string>>;

export function emptyCheck(environmentId: string): CheckFormValues {
  return {
    kind: 'http',
    name: '',
    environmentId,
    intervalSeconds: '60',
    timeoutMs: '10000',
    failureThreshold: '2',
    successThreshold: '1',
    latencyThresholdMs: '',
    method: 'GET',
    url: '',
    expectedStatus: '200-399',
    headers: '',
    body: '',
    keyword: '',
    jsonPath: '',
    jsonEquals: '',
    followRedirects: true,
    host: '',
    port: '',
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The form values of an existing check, for editing. */
export function checkValues(c: CheckRow): CheckFormValues {
  const cfg = record(c.config);
  const ranges = Array.isArray(cfg.expectedStatus) ? cfg.expectedStatus.map(record) : [];
  const json = record(cfg.jsonPath);
  return {
    ...emptyCheck(c.environmentId),
    kind: c.kind,
    name: c.name,
    intervalSeconds: String(c.intervalSeconds),
    timeoutMs: String(c.timeoutMs),
    failureThreshold: String(c.failureThreshold),
    successThreshold: String(c.successThreshold),
    latencyThresholdMs: c.latencyThresholdMs === null ? '' : String(c.latencyThresholdMs),
    method: str(cfg.method) || 'GET',
    url: str(cfg.url),
    expectedStatus: ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', '),
    headers: Object.entries(record(cfg.headers))
      .map(([k, v]) => `${k}: ${str(v)}`)
      .join('\n'),
    body: str(cfg.body),
    keyword: str(cfg.keyword),
    jsonPath: str(json.path),
    jsonEquals: str(json.equals),
    followRedirects: cfg.followRedirects !== false,
    host: str(cfg.host),
    port: cfg.port === undefined ? '' : String(cfg.port),
  };
}

/** "GET https://…" or "db.internal:5432", for the checks table. */
export function checkTarget(c: CheckRow): string {
  const cfg = record(c.config);
  return c.kind === 'http'
    ? `${str(cfg.method) || 'GET'} ${str(cfg.url)}`
    : `${str(cfg.host)}:${String(cfg.port)}`;
}

/** "200-299, 301" → [{200,299},{301,301}]; a string is the error message. */
export function parseStatusRanges(text: string): { from: number; to: number }[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const bad = 'Use codes or ranges like "200-299, 301" (100–599).';
  if (parts.length === 0) return 'Give at least one status code or range.';
  if (parts.length > 10) return 'At most 10 codes or ranges.';
  const out: { from: number; to: number }[] = [];
  for (const p of parts) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(p);
    if (!m) return bad;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (from < 100 || to > 599 || from > to) return bad;
    out.push({ from, to });
  }
  return out;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** "Name: value" lines → a header record; a string is the error message. */
export function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || !HEADER_NAME.test(name)) return `Line ${i + 1}: write "Name: value".`;
    out[name] = line.slice(colon + 1).trim();
  }
  if (Object.keys(out).length > 50) return 'At most 50 headers.';
  if (Object.entries(out).reduce((n, [k, v]) => n + k.length + v.length, 0) > 8 * 1024)
    return 'Headers may total at most 8192 bytes.';
  return out;
}

/** A whole number in [min, max], with the API's own messages; null for an empty optional field. */
export function intField(
  text: string,
  min: number,
  max: number,
  messages: { min?: string; max?: string; optional?: boolean } = {},
): number | null | string {
  const t = text.trim();
  if (!t) return messages.optional ? null : 'Enter a number.';
  const n = Number(t);
  if (!Number.isInteger(n)) return 'Enter a whole number.';
  if (n < min) return messages.min ?? `At least ${min}.`;
  if (n > max) return messages.max ?? `At most ${max}.`;
  return n;
}

function httpUrl(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname && text.length <= 2000) return null;
  } catch {}
  return 'Enter an http:// or https:// URL.';
}

/** The same rules the API applies, so mistakes show next to their field rather than as one message. */
export function toCheckInput(v: CheckFormValues): { input: CheckInput } | { errors: CheckFormErrors } {
  const errors: CheckFormErrors = {};
  // intField gives null only for optional fields, so the cast keeps required ones as numbers.
  const take = <T>(key: keyof CheckFormValues, r: T | string | null): T => {
    if (typeof r === 'string') errors[key] = r;
    return r as T;
  };
  if (!v.name.trim()) errors.name = 'Give the check a name.';
  if (!v.environmentId) errors.environmentId = 'Pick an environment.';
  const common = {
    name: v.name.trim(),
    environmentId: v.environmentId,
    intervalSeconds: take<number>(
      'intervalSeconds',
      intField(v.intervalSeconds, 10, 86_400, { min: 'At least 10 seconds.', max: 'At most 24 hours.' }),
    ),
    timeoutMs: take<number>(
      'timeoutMs',
      intField(v.timeoutMs, 100, 60_000, { min: 'At least 100 ms.', max: 'At most 60 s.' }),
    ),
    failureThreshold: take<number>('failureThreshold', intField(v.failureThreshold, 1, 20)),
    successThreshold: take<number>('successThreshold', intField(v.successThreshold, 1, 20)),
    latencyThresholdMs: take<number | null>(
      'latencyThresholdMs',
      intField(v.latencyThresholdMs, 1, 60_000, { optional: true }),
    ),
  };
  let input: CheckInput;
  if (v.kind === 'tcp') {
    const host = v.host.trim();
    if (!host || host.length > 253 || !/^[A-Za-z0-9.:[\]-]+$/.test(host))
      errors.host = 'Enter a host name or IP address.';
    const port = take<number>('port', intField(v.port, 1, 65_535));
    input = { kind: 'tcp', ...common, config: { host, port } };
  } else {
    const urlError = httpUrl(v.url);
    if (urlError) errors.url = urlError;
    const path = v.jsonPath.trim();
    if (path && !/^\$(\.[A-Za-z0-9_]+|\[\d+\])*$/.test(path))
      errors.jsonPath = 'Use a path like $.status or $.items[0].ok';
    if (!path && v.jsonEquals) errors.jsonPath = 'Give the path whose value to compare.';
    if (v.keyword.length > 500) errors.keyword = 'At most 500 characters.';
    input = {
      kind: 'http',
      ...common,
      config: {
        method: (METHODS.includes(v.method as Method) ? v.method : 'GET') as Method,
        url: v.url.trim(),
        headers: take<Record<string, string>>('headers', parseHeaders(v.headers)),
        body: v.body ? v.body : null,
        expectedStatus: take<{ from: number; to: number }[]>(
          'expectedStatus',
          parseStatusRanges(v.expectedStatus),
        ),
        keyword: v.keyword || null,
        jsonPath: path ? { path, equals: v.jsonEquals } : null,
        followRedirects: v.followRedirects,
      },
    };
  }
  return Object.keys(errors).length > 0 ? { errors } : { input };
}
