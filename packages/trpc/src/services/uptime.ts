import type { Sql } from '@sextant/db';

export type Status = 'unknown' | 'up' | 'degraded' | 'down' | 'paused';

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
  initial: Status | null;
  /** State changes inside the window, oldest first. */
  events: { at: Date; to: Status }[];
}

function empty(): UptimeFigures {
  return { upSeconds: 0, downSeconds: 0, noDataSeconds: 0, excludedSeconds: 0, uptime: null };
}

function add(f: UptimeFigures, status: Status | null, seconds: number) {
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

/** Time-weighted: walks the state changes and adds each state's seconds, never counting probes. */
export function uptimeOf(history: MonitorHistory, w: Window): UptimeFigures {
  const f = empty();
  const end = Math.min(w.to.getTime(), Date.now());
  let cursor = w.from.getTime();
  if (end <= cursor) return finish(f);
  const born = history.createdAt.getTime();
  if (born > cursor) {
    add(f, null, (Math.min(born, end) - cursor) / 1000);
    cursor = Math.min(born, end);
  }
  let state: Status | null = history.initial ?? 'unknown';
  for (const e of history.events) {
    const at = e.at.getTime();
    if (at <= cursor) {
      state = e.to;
      continue;
    }
    if (at >= end) break;
    add(f, state, (at - cursor) / 1000);
    cursor = at;
    state = e.to;
  }
  add(f, state, (end - cursor) / 1000);
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
  created_at: Date;
}

/** Loads the histories of every monitor (checks and heartbeats) of the given services for one window. */
export async function loadHistories(sql: Sql, serviceIds: string[], w: Window) {
  if (serviceIds.length === 0) return new Map<string, MonitorHistory[]>();
  const monitors = await sql<MonitorRow[]>`
    select id, service_id, created_at from checks where service_id = any(${serviceIds}::uuid[])
    union all
    select id, service_id, created_at from heartbeats where service_id = any(${serviceIds}::uuid[])`;
  const [initial, events] = await Promise.all([
    sql<{ monitor: string; to_status: Status }[]>`
      select distinct on (monitor) coalesce(check_id, heartbeat_id) as monitor, to_status
      from monitor_events
      where service_id = any(${serviceIds}::uuid[]) and at < ${w.from}
      order by monitor, at desc`,
    sql<{ monitor: string; at: Date; to_status: Status }[]>`
      select coalesce(check_id, heartbeat_id) as monitor, at, to_status from monitor_events
      where service_id = any(${serviceIds}::uuid[]) and at >= ${w.from} and at < ${w.to}
      order by at`,
  ]);
  const initialBy = new Map(initial.map((r) => [r.monitor, r.to_status]));
  const eventsBy = new Map<string, { at: Date; to: Status }[]>();
  for (const e of events) {
    const list = eventsBy.get(e.monitor) ?? [];
    list.push({ at: e.at, to: e.to_status });
    eventsBy.set(e.monitor, list);
  }
  const byService = new Map<string, MonitorHistory[]>();
  for (const m of monitors) {
    const list = byService.get(m.service_id) ?? [];
    list.push({
      createdAt: m.created_at,
      initial: initialBy.get(m.id) ?? null,
      events: eventsBy.get(m.id) ?? [],
    });
    byService.set(m.service_id, list);
  }
  return byService;
}

/** Service uptime over a window: all of its monitors' time added together. */
export async function serviceUptime(sql: Sql, serviceIds: string[], w: Window) {
  const histories = await loadHistories(sql, serviceIds, w);
  return new Map(serviceIds.map((id) => [id, combine((histories.get(id) ?? []).map((h) => uptimeOf(h, w)))]));
}

const DAY = 86_400_000;

/** The last `days` UTC days, oldest first, each with its own uptime figure (for status bars). */
export async function dailyBars(sql: Sql, serviceIds: string[], days = 90) {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const w = { from: new Date(today - (days - 1) * DAY), to: new Date(today + DAY) };
  const histories = await loadHistories(sql, serviceIds, w);
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

/** One check's or heartbeat's uptime over a window (the same walk as for services, for a single monitor). */
export async function monitorUptime(sql: Sql, monitorId: string, w: Window): Promise<UptimeFigures | null> {
  const [monitor] = await sql<{ created_at: Date }[]>`
    select created_at from checks where id = ${monitorId}
    union all select created_at from heartbeats where id = ${monitorId}`;
  if (!monitor) return null;
  const [initial] = await sql<{ to_status: Status }[]>`
    select to_status from monitor_events where (check_id = ${monitorId} or heartbeat_id = ${monitorId}) and at < ${w.from}
    order by at desc limit 1`;
  const events = await sql<{ at: Date; to_status: Status }[]>`
    select at, to_status from monitor_events
    where (check_id = ${monitorId} or heartbeat_id = ${monitorId}) and at >= ${w.from} and at < ${w.to} order by at`;
  return uptimeOf(
    {
      createdAt: monitor.created_at,
      initial: initial?.to_status ?? null,
      events: events.map((e) => ({ at: e.at, to: e.to_status })),
    },
    w,
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
