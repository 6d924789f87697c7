/**
 * A rule's condition evaluated at the engine's time into rule-state's Outcome: metric and absence rules through the
 * metrics query layer (queryWindow, the one place rules read metrics), monitor rules from the monitor's own state.
 */
import type {
  AbsenceCondition,
  AlertCondition,
  MetricCondition,
  MonitorCondition,
  MonitorStatus,
  Queries,
  Sql,
} from '@sextant/db';
import { DEFAULT_ERROR_MATCHER } from '../../schemas/metrics';
import { queryWindow } from '../metrics/query';
import type { Outcome, SeriesResult } from './rule-state';

type Comparison = MetricCondition['comparison'];

/** `value <comparison> threshold`; NaN compares false, as in Prometheus. */
export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** One series' verdict; with a resolve threshold, a value between the two holds the state (cleared = false). */
export function judge(
  c: Pick<MetricCondition, 'comparison' | 'threshold' | 'resolveThreshold'>,
  value: number,
) {
  const alerting = compare(value, c.comparison, c.threshold);
  const hysteresis = c.resolveThreshold !== undefined && c.resolveThreshold !== null;
  const cleared = !alerting && (!hysteresis || !compare(value, c.comparison, c.resolveThreshold!));
  return { alerting, cleared };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function metricOutcome(sql: Sql, c: MetricCondition, nowMs: number): Promise<Outcome> {
  const { groups } = await queryWindow(sql, {
    selector: { name: c.metric, matchers: c.matchers },
    fn: c.fn,
    errorMatcher: c.errorMatcher ?? { ...DEFAULT_ERROR_MATCHER },
    by: c.by,
    windowSeconds: c.windowSeconds,
    at: new Date(nowMs),
  });
  if (groups.length === 0) return { kind: 'nodata' };
  const results: SeriesResult[] = groups.map((g) => ({
    labels: g.labels,
    value: g.value,
    ...judge(c, g.value),
  }));
  return { kind: 'data', results };
}

/** Prometheus' absent(): one series labelled by the equality matchers, alerting while no sample is in the window. */
async function absenceOutcome(sql: Sql, c: AbsenceCondition, nowMs: number): Promise<Outcome> {
  const ask = (fn: 'max' | 'p50') =>
    queryWindow(sql, {
      selector: { name: c.metric, matchers: c.matchers },
      fn,
      errorMatcher: { ...DEFAULT_ERROR_MATCHER },
      by: [],
      windowSeconds: c.windowSeconds,
      at: new Date(nowMs),
    });
  // Points answer `max`; a histogram-only metric answers only a quantile.
  const present = (await ask('max')).groups.length > 0 || (await ask('p50')).groups.length > 0;
  const labels = Object.fromEntries(
    c.matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.label, m.value]),
  );
  return { kind: 'data', results: [{ labels, value: present ? 0 : 1, alerting: !present }] };
}

interface MonitorRow {
  status: MonitorStatus;
  statusSince: Date;
  failures: number | null;
  periodSeconds: number | null;
  lastError: string | null;
  lastRunAt: Date | null;
  service: string;
  environment: string | null;
  name: string;
  /** Scrape targets: how the scraper labels their series. */
  url?: string;
  labels?: Record<string, string>;
}

/** The monitor's state as the engine reads it; null when it no longer exists. */
async function monitorRow(sql: Queries, t: MonitorCondition['target']): Promise<MonitorRow | null> {
  const joins = sql`
    join services s on s.id = m.service_id left join environments e on e.id = m.environment_id where m.id = ${t.id}::uuid`;
  const rows =
    t.type === 'check'
      ? await sql<MonitorRow[]>`
        select m.status, m.status_since as "statusSince", m.consecutive_failures as failures, null::int as "periodSeconds",
          m.last_error as "lastError", m.last_run_at as "lastRunAt", s.slug as service, e.name as environment,
          m.name from checks m ${joins}`
      : t.type === 'heartbeat'
        ? await sql<MonitorRow[]>`
        select m.status, m.status_since as "statusSince", null::int as failures, m.period_seconds as "periodSeconds",
          null as "lastError", m.last_ping_at as "lastRunAt", s.slug as service, e.name as environment,
          m.name from heartbeats m ${joins}`
        : await sql<MonitorRow[]>`
        select (case when m.paused then 'paused' when m.last_scrape_at is null then 'unknown'
            when m.last_error is null then 'up' else 'down' end)::monitor_status as status,
          coalesce(m.last_scrape_at, m.created_at) as "statusSince", 0 as failures, null::int as "periodSeconds",
          m.last_error as "lastError", m.last_scrape_at as "lastRunAt", s.slug as service, e.name as environment,
          m.url as name, m.url, m.labels from scrape_targets m ${joins}`;
  const row = rows[0];
  if (!row || t.type !== 'scrape_target' || row.status !== 'down') return row ?? null;
  // A target keeps no failure count: its synthetic `up` series (labelled as the scraper does) holds each scrape.
  const labels = {
    instance: new URL(row.url!).host,
    ...row.labels,
    service: row.service,
    environment: row.environment,
  };
  const ups = await sql<{ value: number }[]>`
    select p.value from metric_points p join metric_series ms on ms.id = p.series_id
    where ms.name = 'up' and ms.labels @> ${JSON.stringify(labels)}::jsonb order by p.ts desc limit 100`;
  const failures = ups.findIndex((u) => u.value !== 0);
  return { ...row, failures: Math.max(1, failures === -1 ? ups.length : failures) };
}

/**
 * DOWN (or a listed DEGRADED) for `runs` consecutive runs: checks count their failures; a heartbeat is down for
 * `runs` once `runs - 1` periods passed since it went down; a scrape target counts the trailing zeros of its `up` series. Never run, unknown or paused is no data (spec A2.11).
 */
export async function monitorOutcome(sql: Queries, c: MonitorCondition, nowMs: number): Promise<Outcome> {
  const row = await monitorRow(sql, c.target);
  if (!row || row.status === 'unknown' || row.status === 'paused' || row.lastRunAt === null)
    return { kind: 'nodata' };
  const nameLabel = c.target.type === 'scrape_target' ? 'target' : c.target.type;
  const labels: Record<string, string> = { service: row.service, [nameLabel]: row.name };
  if (row.environment) labels.environment = row.environment;
  const listed = (c.statuses as string[]).includes(row.status);
  let runs = 1;
  if (row.failures !== null) runs = row.failures;
  else if (row.periodSeconds)
    runs = 1 + Math.floor((nowMs - row.statusSince.getTime()) / (row.periodSeconds * 1000));
  const alerting = listed && (row.status === 'degraded' || runs >= c.runs);
  return { kind: 'data', results: [{ labels, value: alerting ? 1 : 0, alerting }] };
}

/** Evaluates `condition` at `nowMs`; a failing query is an `error` outcome (the rule's error policy decides). */
export async function evaluateCondition(
  sql: Sql,
  condition: AlertCondition,
  nowMs: number,
): Promise<Outcome> {
  try {
    if (condition.kind === 'metric') return await metricOutcome(sql, condition, nowMs);
    if (condition.kind === 'absence') return await absenceOutcome(sql, condition, nowMs);
    return await monitorOutcome(sql, condition, nowMs);
  } catch (err) {
    return { kind: 'error', message: message(err) };
  }
}
