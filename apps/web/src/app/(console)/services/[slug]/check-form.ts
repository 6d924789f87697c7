import { type CHECK_KINDS, HTTP_METHODS, type HttpMethod } from '@sextant/db/enums';
import { checkInput } from '@sextant/trpc/schemas';
import { fieldByPath, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import type { RouterInputs } from '~/lib/router-types';
import type { Check } from './types';

export type CheckInput = RouterInputs['checks']['create']['check'];

/** What the inputs hold, as text; parsed and checked on submit. */
export interface CheckFormValues {
  kind: (typeof CHECK_KINDS)[number];
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

/** The form's fields, each read from the input of that name. */
const CHECK_FIELDS = Object.keys(emptyCheck('')) as (keyof CheckFormValues)[];

/** Which form field an issue of the check's input (the API's or the schema's) is about. */
export const checkField = fieldByPath(CHECK_FIELDS, {
  'config.jsonPath.equals': 'jsonEquals',
});

/** What a submitted check form holds; the kind is the dialog's state, the checkbox reads "on". */
export function readCheck(form: HTMLFormElement, kind: CheckFormValues['kind']): CheckFormValues {
  const text = readForm(form, CHECK_FIELDS);
  return { ...text, kind, followRedirects: text.followRedirects === 'on' };
}

/** The form values of an existing check, for editing. */
export function checkValues(c: Check): CheckFormValues {
  const common = {
    ...emptyCheck(c.environmentId),
    kind: c.kind,
    name: c.name,
    intervalSeconds: String(c.intervalSeconds),
    timeoutMs: String(c.timeoutMs),
    failureThreshold: String(c.failureThreshold),
    successThreshold: String(c.successThreshold),
    latencyThresholdMs: c.latencyThresholdMs === null ? '' : String(c.latencyThresholdMs),
  };
  const cfg = c.config;
  if (!('url' in cfg)) return { ...common, host: cfg.host, port: String(cfg.port) };
  return {
    ...common,
    method: cfg.method,
    url: cfg.url,
    expectedStatus: cfg.expectedStatus
      .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
      .join(', '),
    headers: Object.entries(cfg.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    body: cfg.body ?? '',
    keyword: cfg.keyword ?? '',
    jsonPath: cfg.jsonPath?.path ?? '',
    jsonEquals: cfg.jsonPath?.equals ?? '',
    followRedirects: cfg.followRedirects,
  };
}

/** "GET https://…" or "db.internal:5432", for the checks table. */
export function checkTarget(c: Check): string {
  const cfg = c.config;
  return 'url' in cfg ? `${cfg.method} ${cfg.url}` : `${cfg.host}:${cfg.port}`;
}

/** "200-299, 301" → [{200,299},{301,301}]; a string is the error message. The schema checks the codes. */
export function parseStatusRanges(text: string): { from: number; to: number }[] | string {
  const out: { from: number; to: number }[] = [];
  for (const p of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(p);
    if (!m) return 'Use codes or ranges like "200-299, 301" (100–599).';
    out.push({ from: Number(m[1]), to: Number(m[2] ?? m[1]) });
  }
  return out;
}

/** "Name: value" lines → a header record, or the error message; the schema checks names and sizes. */
export function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).trim();
    if (colon < 0 || !name) return `Line ${i + 1}: write "Name: value".`;
    out[name] = line.slice(colon + 1).trim();
  }
  return out;
}

/** A number field's text as the schema's input: NaN for text that is no number (the schema says so). */
export function numberField(text: string, optional = false): number | null {
  const t = text.trim();
  if (!t) return optional ? null : Number.NaN;
  return Number(t);
}

/** The check's input, checked by the API's own schema so mistakes show next to their field. */
export function toCheckInput(v: CheckFormValues): { input: CheckInput } | { errors: CheckFormErrors } {
  const common = {
    name: v.name.trim(),
    environmentId: v.environmentId,
    intervalSeconds: numberField(v.intervalSeconds) as number,
    timeoutMs: numberField(v.timeoutMs) as number,
    failureThreshold: numberField(v.failureThreshold) as number,
    successThreshold: numberField(v.successThreshold) as number,
    latencyThresholdMs: numberField(v.latencyThresholdMs, true),
  };
  if (v.kind === 'tcp') {
    const config = { host: v.host.trim(), port: numberField(v.port) as number };
    return validate(checkInput, { kind: 'tcp', ...common, config } satisfies CheckInput, checkField);
  }
  const parseErrors: CheckFormErrors = {};
  const headers = parseHeaders(v.headers);
  if (typeof headers === 'string') parseErrors.headers = headers;
  const expectedStatus = parseStatusRanges(v.expectedStatus);
  if (typeof expectedStatus === 'string') parseErrors.expectedStatus = expectedStatus;
  const path = v.jsonPath.trim();
  if (!path && v.jsonEquals) parseErrors.jsonPath = 'Give the path whose value to compare.';
  const input = {
    kind: 'http',
    ...common,
    config: {
      method: (HTTP_METHODS.includes(v.method as HttpMethod) ? v.method : 'GET') as HttpMethod,
      url: v.url.trim(),
      headers: typeof headers === 'string' ? {} : headers,
      body: v.body ? v.body : null,
      expectedStatus: typeof expectedStatus === 'string' ? [] : expectedStatus,
      keyword: v.keyword || null,
      jsonPath: path ? { path, equals: v.jsonEquals } : null,
      followRedirects: v.followRedirects,
    },
  } satisfies CheckInput;
  return validate(checkInput, input, checkField, parseErrors);
}
