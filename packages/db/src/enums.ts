/**
 * The one list of each enumerated value, `as const`, for `pgEnum`, `z.enum` and the console alike. No imports:
 * the console bundles this file (`@sextant/db/enums`), and the schema below it reads these lists.
 */

/** `unknown` until the first confirmed result; `paused` time is excluded from uptime. */
export const MONITOR_STATUSES = ['unknown', 'up', 'degraded', 'down', 'paused'] as const;
export type MonitorStatus = (typeof MONITOR_STATUSES)[number];

export const SERVICE_TIERS = ['critical', 'standard', 'experimental'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export const CHECK_KINDS = ['http', 'tcp'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const PING_KINDS = ['success', 'start', 'fail'] as const;
export type PingKind = (typeof PING_KINDS)[number];

export const ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Metric rollup tiers: per-minute and per-hour summaries of the raw points. */
export const ROLLUP_TIERS = ['1m', '1h'] as const;
export type RollupTier = (typeof ROLLUP_TIERS)[number];

/** Stored metric series kinds; pushes may send gauges and counters, scrapes also histograms. */
export const SERIES_KINDS = ['gauge', 'counter', 'histogram', 'delta_counter'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];
/** What `metrics.push` accepts; histograms come only from scrapes. */
export const PUSHED_SERIES_KINDS = [
  'gauge',
  'counter',
  'delta_counter',
] as const satisfies readonly SeriesKind[];

/** The latency and uptime ranges a service page offers. */
export const SERVICE_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type ServiceRange = (typeof SERVICE_RANGES)[number];
