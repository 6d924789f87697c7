import { isForwardingHeader, isSecretHeader, type OutboundPolicy } from '@sextant/trpc';
import { checkAssertions, type ReadBody } from './assertions';
import { classifyError } from './classify';
import { vettedClient } from './connect';
import type { Deadline } from './deadline';
import { ProbeError } from './errors';
import type { HttpCheckConfig, HttpMethod, ProbeResult } from './types';

const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'content-language']);

interface Hop {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | null;
}

interface HopResponse {
  status: number;
  location: string | null;
  body: ReadBody | null;
}

/** What we learned before a possible failure: reported even when the probe fails. */
interface Seen {
  status: number | null;
  tlsExpiresAt: Date | null;
  /** The host of the hop in flight, for error messages. */
  host: string;
}

export interface HttpContext {
  policy: OutboundPolicy;
  maxBodyBytes: number;
  deadline: Deadline;
}

/** Runs one HTTP(S) check, following redirects by hand so every hop is resolved and vetted. */
export async function probeHttp(config: HttpCheckConfig, ctx: HttpContext): Promise<ProbeResult> {
  const seen: Seen = { status: null, tlsExpiresAt: null, host: hostOf(config.url) };
  try {
    const response = await exchange(config, ctx, seen);
    const latencyMs = ctx.deadline.elapsed();
    const failure = checkAssertions(config, response.status, response.body);
    return {
      ok: failure === null,
      latencyMs,
      httpStatus: response.status,
      errorClass: failure?.errorClass ?? null,
      message: failure?.message ?? null,
      tlsExpiresAt: seen.tlsExpiresAt,
    };
  } catch (err) {
    const { errorClass, message } = classifyFailure(err, ctx, seen);
    return {
      ok: false,
      latencyMs: null,
      httpStatus: seen.status,
      errorClass,
      message,
      tlsExpiresAt: seen.tlsExpiresAt,
    };
  }
}

/** A vetted GET returning the body (scrapes): checks' outbound policy, pinned DNS, redirects, body cap. */
export async function httpGet(
  url: string,
  headers: Record<string, string>,
  ctx: HttpContext,
): Promise<{ status: number; body: ReadBody }> {
  const config: HttpCheckConfig = {
    kind: 'http',
    method: 'GET',
    url,
    headers,
    body: null,
    expectedStatus: [],
    keyword: null,
    jsonPath: null,
    timeoutMs: ctx.deadline.timeoutMs,
    followRedirects: true,
  };
  const seen: Seen = { status: null, tlsExpiresAt: null, host: hostOf(url) };
  try {
    return await exchange(config, ctx, seen);
  } catch (err) {
    const { errorClass, message } = classifyFailure(err, ctx, seen);
    throw new ProbeError(errorClass, message);
  }
}

/** The deadline's reason (timeout / caller abort) beats whatever undici made of the abort. */
function classifyFailure(err: unknown, ctx: HttpContext, seen: Seen) {
  const reason: unknown = ctx.deadline.signal.aborted ? ctx.deadline.signal.reason : err;
  return classifyError(reason, { host: seen.host, timeoutMs: ctx.deadline.timeoutMs });
}

/** Sends the request and follows redirects to the final response. */
async function exchange(
  config: HttpCheckConfig,
  ctx: HttpContext,
  seen: Seen,
): Promise<{ status: number; body: ReadBody }> {
  let hop = firstHop(config);
  for (let redirects = 0; ; redirects++) {
    seen.host = hop.url.hostname;
    const response = await requestOnce(hop, config, ctx, seen);
    if (config.followRedirects && REDIRECT_STATUSES.has(response.status) && response.location !== null) {
      if (redirects >= MAX_REDIRECTS)
        throw new ProbeError('network', `too many redirects (more than ${MAX_REDIRECTS})`);
      hop = nextHop(hop, response.status, response.location);
      continue;
    }
    return { status: response.status, body: response.body ?? { bytes: Buffer.alloc(0), truncated: false } };
  }
}

/** The host a message may name; never the whole URL, whose userinfo or query may hold a secret. */
export function hostOf(raw: string): string {
  try {
    return new URL(raw).hostname;
  } catch {
    return 'an invalid URL';
  }
}

/** Parses an http(s) URL; credentials in it move to an Authorization header (the origin we dial must not carry them). */
function parseTarget(raw: string): { url: URL; authorization: string | null } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProbeError('network', 'invalid URL'); // not repeated: it may hold a password
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeError('network', `unsupported URL scheme ${url.protocol}`);
  }
  let authorization: string | null = null;
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url, authorization };
}

function firstHop(config: HttpCheckConfig): Hop {
  const { url, authorization } = parseTarget(config.url);
  // Refused when a check is saved; dropped here too for checks saved before that rule.
  const headers = Object.fromEntries(Object.entries(config.headers).filter(([n]) => !isForwardingHeader(n)));
  if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = 'Sextant-Probe/1';
  if (authorization !== null && !hasHeader(headers, 'authorization')) headers.authorization = authorization;
  return { url, method: config.method, headers, body: config.body };
}

function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = parseTarget(new URL(location, hop.url).href).url;
  } catch (err) {
    throw err instanceof ProbeError ? err : new ProbeError('network', 'invalid redirect location');
  }
  // 303 (and 301/302 after POST, as browsers do) switches to GET without a body.
  const toGet =
    (status === 303 && hop.method !== 'HEAD') ||
    ((status === 301 || status === 302) && hop.method === 'POST');
  // As browsers do, credentials stay with the origin they were written for: another host, port or scheme
  // (https → http included) gets none of the headers the check's secret rules mark as secret.
  const crossOrigin = url.origin !== hop.url.origin;
  // The body is secret too, and a redirect that keeps the method (307, 308, 301/302 after PUT…) would resend it.
  if (crossOrigin && !toGet && hop.body)
    throw new ProbeError(
      'status',
      `redirected (${status}) to another origin, not followed: the request body is sent only to the check's own origin`,
    );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(hop.headers)) {
    const lower = name.toLowerCase();
    if (crossOrigin && isSecretHeader(lower)) continue;
    if (toGet && BODY_HEADERS.has(lower)) continue;
    headers[name] = value;
  }
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? null : hop.body };
}

async function requestOnce(
  hop: Hop,
  config: HttpCheckConfig,
  ctx: HttpContext,
  seen: Seen,
): Promise<HopResponse> {
  const { deadline } = ctx;
  seen.status = null;
  const client = await vettedClient(hop.url, {
    policy: ctx.policy,
    deadline,
    ca: config.ca,
    onCertificate: (expiresAt) => {
      seen.tlsExpiresAt = expiresAt;
    },
  });
  try {
    const res = await client.request({
      path: `${hop.url.pathname}${hop.url.search}`,
      method: hop.method,
      headers: hop.headers,
      body: hop.body ?? undefined,
      signal: deadline.signal,
    });
    seen.status = res.statusCode;
    res.body.on('error', () => {}); // we destroy it early on purpose (redirects, the body cap)
    const location = headerValue(res.headers.location);
    if (config.followRedirects && REDIRECT_STATUSES.has(res.statusCode) && location !== null) {
      res.body.destroy();
      return { status: res.statusCode, location, body: null };
    }
    return { status: res.statusCode, location, body: await readCapped(res.body, ctx.maxBodyBytes) };
  } finally {
    await client.destroy().catch(() => {});
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Reads at most `max` bytes, then stops (leaving the for-await destroys the stream). */
export async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = max - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      return { bytes: Buffer.concat(chunks, max), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks, size), truncated: false };
}
