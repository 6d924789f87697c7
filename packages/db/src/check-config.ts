/**
 * What `checks.config` holds, per check kind: the zod schemas the API validates with, and the column's type
 * (`z.output`). Only zod here: the console bundles this file (`@sextant/db/check-config`).
 */
import { z } from 'zod';
import { HTTP_METHODS } from './enums';

const MAX_HEADER_BYTES = 8 * 1024;

const statusRange = z
  .object({ from: z.number().int().min(100).max(599), to: z.number().int().min(100).max(599) })
  .refine((r) => r.from <= r.to, 'from must not exceed to');

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
  .refine((h) => Object.keys(h).length <= 50, 'At most 50 headers.')
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
  url: z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }).max(2000),
  headers: headersSchema.default({}),
  body: z
    .string()
    .max(64 * 1024)
    .nullish()
    .transform((v) => v ?? null),
  expectedStatus: z
    .array(statusRange)
    .min(1)
    .max(10)
    .default([{ from: 200, to: 399 }]),
  keyword: z
    .string()
    .min(1)
    .max(500)
    .nullish()
    .transform((v) => v ?? null),
  jsonPath: z
    .object({
      path: z.string().regex(/^\$(\.[A-Za-z0-9_]+|\[\d+\])*$/, 'Use a path like $.status or $.items[0].ok'),
      equals: z.string().max(500),
    })
    .nullish()
    .transform((v) => v ?? null),
  followRedirects: z.boolean().default(true),
});

export const tcpConfig = z.object({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'Enter a host name or IP address.'),
  port: z.number().int().min(1).max(65535),
});

export type HttpConfig = z.output<typeof httpConfig>;
export type TcpConfig = z.output<typeof tcpConfig>;
/** A stored config; the row's `kind` column says which. */
export type CheckConfig = HttpConfig | TcpConfig;
