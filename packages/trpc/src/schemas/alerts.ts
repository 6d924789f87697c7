/**
 * Inputs of the read side of alerting (`alerts.*`): the Alerts page's filters, one alert, its chart. Client-safe
 * (zod only), so the console builds its queries from the same shapes and limits.
 */
import { ALERT_STATES } from '@sextant/db/enums';
import { z } from 'zod';
import { METRIC_LIMITS } from './metrics';
import { serviceRef } from './refs';
import { boundedDate, checkWindow } from './time-range';

export const ALERT_LIST_LIMITS = {
  /** Rows one page may hold. */
  pageSize: 200,
  defaultPageSize: 50,
  /** The free-text filter over label names and values. */
  textLength: 200,
  /** Rows scanned per page while dropping silenced or inhibited ones, as a multiple of the page size. */
  scanFactor: 10,
  /** State changes one alert's history answers (newest first). */
  history: 500,
} as const;

/** Prometheus' fingerprint: 16 lower-case hex digits. */
export const fingerprintSchema = z.string().regex(/^[0-9a-f]{16}$/, 'A fingerprint is 16 hex digits.');

/** Keyset position of the last row of a page: state rank, since, id (see services/alerting/alerts.ts). */
export const alertCursor = z.object({
  rank: z.number().int().min(0).max(ALERT_STATES.length),
  since: boundedDate,
  id: z.uuid(),
});

export const alertListInput = z.object({
  state: z.array(z.enum(ALERT_STATES)).min(1).max(ALERT_STATES.length).optional(),
  /** A service by id or slug: its rules' alerts and alerts labelled `service="<slug>"`. */
  service: serviceRef.optional(),
  /** The `severity` label, exactly. */
  severity: z.string().trim().min(1).max(METRIC_LIMITS.labelValueLength).optional(),
  /** Case-insensitive substring of any label name or value. */
  text: z.string().trim().max(ALERT_LIST_LIMITS.textLength).optional(),
  ruleId: z.uuid().optional(),
  /** As Alertmanager's GET /api/v2/alerts: false leaves silenced (inhibited) alerts out. */
  silenced: z.boolean().default(true),
  inhibited: z.boolean().default(true),
  cursor: alertCursor.optional(),
  limit: z.number().int().min(1).max(ALERT_LIST_LIMITS.pageSize).default(ALERT_LIST_LIMITS.defaultPageSize),
});

export type AlertListInput = z.infer<typeof alertListInput>;

/**
 * One alert: a rule alert by (rule, fingerprint); without `ruleId`, the external alert of that fingerprint, else
 * the rule alert most recently updated with it (two rules rarely share a label set: alertname is the rule's name).
 */
export const alertRef = z.object({ fingerprint: fingerprintSchema, ruleId: z.uuid().optional() });

export type AlertRef = z.infer<typeof alertRef>;

/** The alert's metric over a window (the dashboards' bounds: at most 400 days, dates after 2000). */
export const alertChartInput = alertRef
  .extend({ from: boundedDate, to: boundedDate })
  .superRefine(checkWindow);

export const alertsForServiceInput = z.object({ service: serviceRef });
