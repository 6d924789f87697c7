import path from 'node:path';
import { parseSecretKey, stateDir } from '@sextant/db';
import {
  DEFAULT_RESOLVE_TIMEOUT_MS,
  isLocalAddress,
  METRIC_LIMITS,
  type ProtectedPort,
  type SeriesLimits,
} from '@sextant/trpc';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] }).default(def);
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyEntry = (s: string) =>
  NAMED_RANGES.includes(s) ||
  ipaddr.IPv4.isValidFourPartDecimal(s) ||
  ipaddr.IPv4.isValidCIDRFourPartDecimal(s) ||
  ipaddr.IPv6.isValid(s) ||
  ipaddr.IPv6.isValidCIDR(s);

/**
 * API_TRUST_PROXY as Fastify's `trustProxy` takes it; anything else stops start-up, since a typo would
 * otherwise trust a stray address (`2` was read as 0.0.0.2) or fail later with an unnamed error.
 */
const trustProxy = z
  .string()
  .trim()
  .default('loopback')
  .transform((v, ctx): boolean | string[] => {
    if (v === 'true') return true;
    if (v === 'false') return false;
    const entries = v.split(',').map((s) => s.trim());
    if (entries.every(isProxyEntry)) return entries;
    ctx.addIssue({
      code: 'custom',
      // Fastify trusts no one for a hop count (the socket's peer would be trusted unchecked), so say so.
      message: /^\d+$/.test(v)
        ? 'must list the proxies (a hop count is not supported: it would trust any direct client)'
        : 'must be true, false, or comma-separated IP addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    });
    return z.NEVER;
  });
const url = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' });

/** Every environment variable the API reads; README's configuration table mirrors this. */
export const envSchema = z.object({
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: int(4000, 0, 65535),
  DATABASE_URL: url.optional(),
  DATABASE_REPLICA_URL: url.optional(),
  SEXTANT_PG_DATA_DIR: z.string().min(1).optional(),
  SEXTANT_PG_PORT: int(54329, 1, 65535),
  SEXTANT_SEED: bool(true),
  DB_POOL_MAX: int(10, 1, 500),
  DB_STATEMENT_TIMEOUT_MS: int(15_000, 0, 3_600_000),
  DB_IDLE_TIMEOUT_S: int(60, 0, 86_400),
  DB_CONNECT_TIMEOUT_S: int(3, 1, 120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines on a terminal, JSON when stdout is a file or a pipe (log shippers). */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  API_BODY_LIMIT_BYTES: int(1_048_576, 1024, 100 * 1_048_576),
  API_REQUEST_TIMEOUT_MS: int(30_000, 1_000, 600_000),
  API_SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 600_000),
  API_RATE_LIMIT_PER_MIN: int(1_200, 0, 10_000_000),
  API_MAX_EVENT_LOOP_DELAY_MS: int(1_000, 0, 60_000),
  API_TRUST_PROXY: trustProxy,
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Encrypts receiver secrets at rest; every instance on one database needs the same one. */
  SEXTANT_SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== null, 'must be 32 bytes in base64 or base64url')
    .optional(),
  WEB_PORT: int(3000, 1, 65535),
  /** Origins allowed to send cookie-authenticated mutations; defaults to the console's own. */
  WEB_ORIGINS: z.string().optional(),
  SEXTANT_ADMIN_EMAIL: z.email().optional(),
  SEXTANT_ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  AUTH_SESSION_IDLE_MINUTES: int(30, 1, 10_080),
  AUTH_SESSION_ABSOLUTE_HOURS: int(12, 1, 8_760),
  SEXTANT_SCHEDULER: bool(true),
  CHECKS_CONCURRENCY: int(50, 1, 1_000),
  CHECKS_POLL_MS: int(200, 20, 10_000),
  CHECKS_MAX_BODY_BYTES: int(1_048_576, 1_024, 16 * 1_048_576),
  RESULTS_RETENTION_DAYS: int(30, 1, 3_650),
  ROLLUP_RETENTION_DAYS: int(400, 1, 3_650),
  METRICS_BODY_LIMIT_BYTES: int(10 * 1_048_576, 1_024, 100 * 1_048_576),
  METRICS_RAW_RETENTION_DAYS: int(7, 1, 365),
  METRICS_1M_RETENTION_DAYS: int(30, 1, 3_650),
  METRICS_1H_RETENTION_DAYS: int(400, 1, 3_650),
  METRICS_MAX_SERIES_PER_METRIC: int(METRIC_LIMITS.seriesPerMetric, 1, 100_000_000),
  METRICS_MAX_SERIES_PER_SERVICE: int(METRIC_LIMITS.seriesPerService, 1, 100_000_000),
  SEXTANT_SELF_SCRAPE_SECONDS: int(15, 0, 3_600),
  SCRAPE_CONCURRENCY: int(20, 1, 1_000),
  SCRAPE_MAX_BODY_BYTES: int(10 * 1_048_576, 1_024, 100 * 1_048_576),
  /** Alertmanager's resolve_timeout: an alert posted without endsAt resolves this long after its last post. */
  ALERTS_RESOLVE_TIMEOUT_SECONDS: int(DEFAULT_RESOLVE_TIMEOUT_MS / 1000, 1, 7 * 86_400),
  ALERT_ENGINE_CONCURRENCY: int(8, 1, 200),
  ALERT_ENGINE_POLL_MS: int(500, 20, 10_000),
  ALERT_HISTORY_RETENTION_DAYS: int(30, 1, 3_650),
  NOTIFY_DELIVERY_CONCURRENCY: int(64, 1, 500),
  NOTIFY_DELIVERY_POLL_MS: int(250, 20, 10_000),
  /** Per endpoint (URL origin or SMTP host): Slack documents 1 message a second per incoming webhook; 0 = no limit. */
  NOTIFY_ENDPOINT_RATE_PER_MIN: int(60, 0, 1_000_000),
  NOTIFY_MAX_AGE_SECONDS: int(86_400, 10, 7 * 86_400),
  NOTIFY_DISPATCH_CONCURRENCY: int(4, 1, 200),
  NOTIFY_DISPATCH_BATCH: int(200, 1, 1_000),
  NOTIFY_DISPATCH_POLL_MS: int(250, 20, 10_000),
  NOTIFICATION_HISTORY_RETENTION_DAYS: int(7, 1, 3_650),
  /** The console's address as receivers reach it: links in notifications point there. */
  SEXTANT_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** `.sextant/` at the workspace root: generated secrets, and the embedded cluster's data by default. */
  stateDir: string;
  /** Resolved data folder of the embedded cluster (used only without DATABASE_URL). */
  pgDataDir: string;
  webOrigins: string[];
  /** SEXTANT_PUBLIC_URL without a trailing slash, else the console on localhost:WEB_PORT. */
  publicUrl: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const state = stateDir();
  const pgDataDir = path.resolve(parsed.data.SEXTANT_PG_DATA_DIR ?? path.join(state, 'pg'));
  const webOrigins = parsed.data.WEB_ORIGINS
    ? parsed.data.WEB_ORIGINS.split(',').map((o) => o.trim().replace(/\/$/, ''))
    : [`http://127.0.0.1:${parsed.data.WEB_PORT}`, `http://localhost:${parsed.data.WEB_PORT}`];
  const publicUrl = (parsed.data.SEXTANT_PUBLIC_URL ?? `http://localhost:${parsed.data.WEB_PORT}`).replace(
    /\/+$/,
    '',
  );
  return { ...parsed.data, stateDir: state, pgDataDir, webOrigins, publicUrl };
}

/** The series limits every metrics write path applies (push, POST /v1/metrics, scrapes, self-scrape). */
export function seriesLimits(config: Config): SeriesLimits {
  return {
    perMetric: config.METRICS_MAX_SERIES_PER_METRIC,
    perService: config.METRICS_MAX_SERIES_PER_SERVICE,
  };
}

/** Hosts that mean "this machine" in a database URL: a socket (no host), `localhost`, or a local address. */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === '' || h === 'localhost' || isLocalAddress(h);
}

/**
 * Sextant's own listening ports, which checks may not reach on any local address unless an admin allow-lists
 * that exact address and port: the API (as actually bound), the console, and Postgres when it runs here.
 */
export function ownPorts(config: Config, apiPort: number): ProtectedPort[] {
  const ports: ProtectedPort[] = [
    { port: apiPort, name: 'API' },
    { port: config.WEB_PORT, name: 'console' },
  ];
  for (const [name, raw] of [
    ['Postgres', config.DATABASE_URL],
    ['Postgres replica', config.DATABASE_REPLICA_URL],
  ] as const) {
    if (raw === undefined) {
      if (name === 'Postgres') ports.push({ port: config.SEXTANT_PG_PORT, name: 'embedded Postgres' });
      continue;
    }
    const url = new URL(raw);
    if (isLocalHost(url.hostname)) ports.push({ port: Number(url.port) || 5432, name });
  }
  return ports.filter((p) => p.port > 0);
}
