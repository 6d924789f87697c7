import type { Sql } from '@sextant/db';
import type { MonitorStatus } from '@sextant/db/enums';
import { excludedMs, type ScheduledWindow } from './maintenance-schedule';

export interface Window {
  from: Date;
  to: Date;
}

export interface UptimeFigures {
  /** Seconds UP or DEGRADED. */
  upSeconds: number;
  downSeconds: number;
  /** Seconds with no result yet (unknown, or before the monitor existed). */
  noDataSeconds: number;
  /** Seconds paused or in maintenance; excluded from the ratio. */
  excludedSeconds: number;
  /** up / (up + down), or null when nothing was observed. */
  uptime: number | null;
}

export interface MonitorHistory {
  createdAt: Date;
  /** State in force at the window start (from the last event before it), if any. */
  initial: MonitorStatus | null;
  /** State changes inside the window, oldest first. */
  events: { at: Date; to: MonitorStatus }[];
  /** Maintenance windows of the monitor's service × environment: their time is excluded, whatever the state. */
  maintenance?: ScheduledWindow[];
}

function empty(): UptimeFigures {
  return { upSeconds: 0, downSeconds: 0, noDataSeconds: 0, excludedSeconds: 0, uptime: null };
}

function add(f: UptimeFigures, status: MonitorStatus | null, seconds: number) {
  if (seconds <= 0) return;
  if (status === 'up' || status === 'degraded') f.upSeconds += seconds;
  else if (status === 'down') f.downSeconds += seconds;
  else if (status === 'paused') f.excludedSeconds += seconds;
  else f.noDataSeconds += seconds;
}

function finish(f: UptimeFigures): UptimeFigures {
  const observed = f.upSeconds + f.downSeconds;
  return { ...f, uptime: observed > 0 ? f.upSeconds / observed : null };
}

/**
 * Time-weighted: walks the state changes and adds each state's seconds, never counting probes; time inside a
 * maintenance window is excluded (so a DOWN period there does not count).
 */
export function uptimeOf(history: MonitorHistory, w: Window): UptimeFigures {
  const f = empty();
  const windows = history.maintenance ?? [];
  const addSpan = (status: MonitorStatus | null, from: number, to: number) => {
    if (to <= from) return;
    const inside = windows.length > 0 ? excludedMs(windows, new Date(from), new Date(to)) : 0;
    f.excludedSeconds += inside / 1000;
    add(f, status, (to - from - inside) / 1000);
  };
  const end = Math.min(w.to.getTime(), Date.now());
  let cursor = w.from.getTime();
  if (end <= cursor) return finish(f);
  const born = history.createdAt.getTime();
  if (born > cursor) {
    addSpan(null, cursor, Math.min(born, end));
    cursor = Math.min(born, end);
  }
  let state: MonitorStatus | null = history.initial ?? 'unknown';
  for (const e of history.events) {
    const at = e.at.getTime();
    if (at <= cursor) {
      state = e.to;
      continue;
    }
    if (at >= end) break;
    addSpan(state, cursor, at);
    cursor = at;
    state = e.to;
  }
  addSpan(state, cursor, end);
  return finish(f);
}

export function combine(figures: UptimeFigures[]): UptimeFigures {
  const f = empty();
  for (const x of figures) {
    f.upSeconds += x.upSeconds;
    f.downSeconds += x.downSeconds;
    f.noDataSeconds += x.noDataSeconds;
    f.excludedSeconds += x.excludedSeconds;
  }
  return finish(f);
}

interface MonitorRow {
  id: string;
  service_id: string;
  environment_id: string | null;
  created_at: Date;
}

/**
 * The maintenance windows overlapping `w` of the given services, by "service|environment" (one query). Cancelled
 * windows are left out: a cancelled window's time counts as ordinary time.
 */
async function maintenanceWindows(sql: Sql, serviceIds: string[], w: Window) {
  const byPair = new Map<string, ScheduledWindow[]>();
  if (serviceIds.length === 0) return byPair;
  const rows = await sql<(ScheduledWindow & { serviceId: string; environmentId: string })[]>`
    select m.starts_at as "startsAt", m.ends_at as "endsAt", m.rrule, m.time_zone as "timeZone",
      t.service_id as "serviceId", t.environment_id as "environmentId"
    from maintenances m join maintenance_targets t on t.maintenance_id = m.id
    where t.service_id = any(${serviceIds}::uuid[]) and m.cancelled_at is null
      and m.starts_at < ${w.to} and m.series_ends_at > ${w.from}`;
  for (const { serviceId, environmentId, ...window } of rows) {
    const key = `${serviceId}|${environmentId}`;
    byPair.set(key, [...(byPair.get(key) ?? []), window]);
  }
  return byPair;
}

/** Loads the histories of every monitor (checks and heartbeats) of the given services for one window. */
/** Whose history to load: every monitor of some services, or one check or heartbeat. */
export type Scope = { serviceIds: string[]; environmentIds?: string[] } | { monitorId: string };

/**
 * Monitors in scope with their state at `w.from`, their changes inside `w` and their service × environment's
 * maintenance windows: four queries, whatever the scope.
 */
async function loadMonitors(sql: Sql, scope: Scope, w: Window) {
  const byService = 'serviceIds' in scope;
  if (byService && scope.serviceIds.length === 0) return [];
  // A status page shows some environments only; a monitor without an environment belongs to every one.
  const envFilter =
    byService && scope.environmentIds
      ? sql`and (environment_id is null or environment_id = any(${scope.environmentIds}::uuid[]))`
      : sql``;
  const monitorFilter = byService
    ? sql`service_id = any(${scope.serviceIds}::uuid[]) ${envFilter}`
    : sql`id = ${scope.monitorId}`;
  const eventFilter = byService
    ? sql`service_id = any(${scope.serviceIds}::uuid[])`
    : sql`(check_id = ${scope.monitorId} or heartbeat_id = ${scope.monitorId})`;
  const [monitors, initial, events] = await Promise.all([
    sql<MonitorRow[]>`
      select id, service_id, environment_id, created_at from checks where ${monitorFilter}
      union all
      select id, service_id, environment_id, created_at from heartbeats where ${monitorFilter}`,
    sql<{ monitor: string; to_status: MonitorStatus }[]>`
      select distinct on (monitor) coalesce(check_id, heartbeat_id) as monitor, to_status
      from monitor_events where ${eventFilter} and at < ${w.from}
      order by monitor, at desc`,
    sql<{ monitor: string; at: Date; to_status: MonitorStatus }[]>`
      select coalesce(check_id, heartbeat_id) as monitor, at, to_status from monitor_events
      where ${eventFilter} and at >= ${w.from} and at < ${w.to}
      order by at`,
  ]);
  const maintenance = await maintenanceWindows(sql, [...new Set(monitors.map((m) => m.service_id))], w);
  const initialBy = new Map(initial.map((r) => [r.monitor, r.to_status]));
  const eventsBy = new Map<string, { at: Date; to: MonitorStatus }[]>();
  for (const e of events) {
    const list = eventsBy.get(e.monitor) ?? [];
    list.push({ at: e.at, to: e.to_status });
    eventsBy.set(e.monitor, list);
  }
  return monitors.map((m) => ({
    serviceId: m.service_id,
    history: {
      createdAt: m.created_at,
      initial: initialBy.get(m.id) ?? null,
      events: eventsBy.get(m.id) ?? [],
      maintenance: maintenance.get(`${m.service_id}|${m.environment_id}`) ?? [],
    },
  }));
}

export async function loadHistories(sql: Sql, serviceIds: string[], w: Window, environmentIds?: string[]) {
  const byService = new Map<string, MonitorHistory[]>();
  for (const m of await loadMonitors(sql, { serviceIds, ...(environmentIds ? { environmentIds } : {}) }, w)) {
    byService.set(m.serviceId, [...(byService.get(m.serviceId) ?? []), m.history]);
  }
  return byService;
}

/**
 * Uptime for several windows from one load covering all of them (uptimeOf walks past changes before
 * a window's start to find the state in force). `null` when a single monitor does not exist.
 */
export async function uptimeByWindow(sql: Sql, scope: Scope, windows: Record<string, Window>) {
  const all = Object.values(windows);
  const union = {
    from: new Date(Math.min(...all.map((w) => w.from.getTime()))),
    to: new Date(Math.max(...all.map((w) => w.to.getTime()))),
  };
  const monitors = await loadMonitors(sql, scope, union);
  if ('monitorId' in scope && monitors.length === 0) return null;
  return Object.fromEntries(
    Object.entries(windows).map(([k, w]) => [k, combine(monitors.map((m) => uptimeOf(m.history, w)))]),
  );
}

const DAY = 86_400_000;

/**
 * The last `days` UTC days, oldest first, each with its own uptime figure (for status bars); with
 * `environmentIds`, only the monitors of those environments (and those without one) count.
 */
export async function dailyBars(sql: Sql, serviceIds: string[], days = 90, environmentIds?: string[]) {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const w = { from: new Date(today - (days - 1) * DAY), to: new Date(today + DAY) };
  const histories = await loadHistories(sql, serviceIds, w, environmentIds);
  return new Map(
    serviceIds.map((id) => {
      const hs = histories.get(id) ?? [];
      const bars = Array.from({ length: days }, (_, i) => {
        const day = {
          from: new Date(w.from.getTime() + i * DAY),
          to: new Date(w.from.getTime() + (i + 1) * DAY),
        };
        const f = combine(hs.map((h) => uptimeOf(h, day)));
        return {
          day: day.from.toISOString().slice(0, 10),
          uptime: f.uptime,
          downSeconds: Math.round(f.downSeconds),
        };
      });
      return [id, bars];
    }),
  );
}

const WINDOWS = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;

/** The standard windows ending now, plus one calendar month (UTC, `YYYY-MM`) when asked. */
export function uptimeWindows(month?: string): Record<string, Window> {
  const now = Date.now();
  const windows: Record<string, Window> = Object.fromEntries(
    Object.entries(WINDOWS).map(([k, days]) => [k, { from: new Date(now - days * DAY), to: new Date(now) }]),
  );
  if (month) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    windows[month] = { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) };
  }
  return windows;
}
