/**
 * What `checks.config` holds, per check kind: the zod schemas the API validates with, and the column's type
 * (`z.output`). Only zod here: the console bundles this file (`@sextant/db/check-config`).
 */
import { z } from 'zod';
import { HTTP_METHODS } from './enums';

/** Bounds of a check's config, for the schemas below and the console's inputs. */
export const CHECK_CONFIG_LIMITS = {
  urlLength: 2000,
  headers: 50,
  headerBytes: 8 * 1024,
  bodyBytes: 64 * 1024,
  statusRanges: 10,
  keywordLength: 500,
  jsonEqualsLength: 500,
  hostLength: 253,
  port: { min: 1, max: 65_535 },
} as const;
const L = CHECK_CONFIG_LIMITS;
const MAX_HEADER_BYTES = L.headerBytes;

const STATUS_HELP = 'Use codes or ranges like "200-299, 301" (100–599).';
const statusCode = z.number().int(STATUS_HELP).min(100, STATUS_HELP).max(599, STATUS_HELP);
const statusRange = z.object({ from: statusCode, to: statusCode }).refine((r) => r.from <= r.to, STATUS_HELP);

/**
 * Headers a proxy sets to name the original client. Services (Sextant's API among them, from loopback) trust
 * them from a proxy, so a check sending them could forge the client address; the probe is no proxy. `Host` is
 * allowed: the policy vets the address connected to, and a Host header is how one virtual host is checked.
 */
const FORWARDING_HEADER =
  /^(x-forwarded(-.*)?|forwarded|x-real-ip|true-client-ip|x-client-ip|client-ip|x-cluster-client-ip|cf-connecting-ip|fastly-client-ip|x-original-forwarded-for)$/i;

export function isForwardingHeader(name: string): boolean {
  return FORWARDING_HEADER.test(name);
}

const headersSchema = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'Invalid header name.'),
    z
      .string()
      .max(MAX_HEADER_BYTES)
      .regex(/^[^\r\n]*$/, 'Header values cannot contain line breaks.'),
  )
  .refine((h) => Object.keys(h).length <= L.headers, `At most ${L.headers} headers.`)
  .refine(
    (h) => Object.entries(h).reduce((n, [k, v]) => n + k.length + v.length, 0) <= MAX_HEADER_BYTES,
    `Headers may total at most ${MAX_HEADER_BYTES} bytes.`,
  )
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h).filter(isForwardingHeader))
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${name} is set by proxies to name the client; a check may not send it (the probe is no proxy).`,
      });
  });

export const httpConfig = z.object({
  method: z.enum(HTTP_METHODS).default('GET'),
  url: z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }).max(L.urlLength),
  headers: headersSchema.default({}),
  body: z
    .string()
    .max(L.bodyBytes)
    .nullish()
    .transform((v) => v ?? null),
  expectedStatus: z
    .array(statusRange)
    .min(1, 'Give at least one status code or range.')
    .max(L.statusRanges, `At most ${L.statusRanges} codes or ranges.`)
    .default([{ from: 200, to: 399 }]),
  keyword: z
    .string()
    .min(1)
    .max(L.keywordLength, `At most ${L.keywordLength} characters.`)
    .nullish()
    .transform((v) => v ?? null),
  jsonPath: z
    .object({
      path: z.string().regex(/^\$(\.[A-Za-z0-9_]+|\[\d+\])*$/, 'Use a path like $.status or $.items[0].ok'),
      equals: z.string().max(L.jsonEqualsLength, `At most ${L.jsonEqualsLength} characters.`),
    })
    .nullish()
    .transform((v) => v ?? null),
  followRedirects: z.boolean().default(true),
});

export const tcpConfig = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'Enter a host name or IP address.')
    .max(L.hostLength, 'Enter a host name or IP address.')
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'Enter a host name or IP address.'),
  port: z.number().int().min(L.port.min, `At least ${L.port.min}.`).max(L.port.max, `At most ${L.port.max}.`),
});

export type HttpConfig = z.output<typeof httpConfig>;
export type TcpConfig = z.output<typeof tcpConfig>;
/** A stored config; the row's `kind` column says which. */
export type CheckConfig = HttpConfig | TcpConfig;

/** A plain GET that passes on any 2xx and follows no redirect: the seeded self-check, and the benchmark's checks. */
export const plainGet = (url: string): HttpConfig => ({
  method: 'GET',
  url,
  headers: {},
  body: null,
  expectedStatus: [{ from: 200, to: 299 }],
  keyword: null,
  jsonPath: null,
  followRedirects: false,
});
