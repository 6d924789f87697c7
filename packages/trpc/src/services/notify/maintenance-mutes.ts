/**
 * Maintenance as a suppression cause at a group's tick (issue 15): an alert whose `service` label is a service's
 * slug and whose `environment` label names an environment (case-insensitive, as environment names are unique) is
 * muted while a window covering that service × environment runs at the tick. One read for a whole flush batch.
 */
import type { Queries } from '@sextant/db';
import type { Labels } from '../alerting/matchers';
import { activeAt, type ScheduledWindow } from '../maintenance-schedule';

interface WindowRow extends ScheduledWindow {
  id: string;
  cancelledAt: Date | null;
  service: string;
  environment: string;
}

const keyOf = (service: string, environment: string) => `${service}\u0000${environment.toLowerCase()}`;

/** Decides, for an alert's labels at a tick, the ids of the windows muting it (empty when none). */
export type MaintenanceMutes = (labels: Labels, tickMs: number) => string[];

/**
 * Reads every window that may run at one of `ticks` (one statement), then answers per tick from memory. A window
 * cancelled after a tick still counted then, as activeMaintenanceTargets reads it.
 */
export async function maintenanceMutesAt(sql: Queries, ticks: readonly number[]): Promise<MaintenanceMutes> {
  if (ticks.length === 0) return () => [];
  const [first, last] = [new Date(Math.min(...ticks)), new Date(Math.max(...ticks))];
  const rows = await sql<WindowRow[]>`
    select m.id, m.starts_at as "startsAt", m.ends_at as "endsAt", m.rrule, m.time_zone as "timeZone",
      m.cancelled_at as "cancelledAt", s.slug as service, e.name as environment
    from maintenances m
    join maintenance_targets t on t.maintenance_id = m.id
    join services s on s.id = t.service_id
    join environments e on e.id = t.environment_id
    where (m.cancelled_at is null or m.cancelled_at > ${first}) and m.starts_at <= ${last}
      and m.series_ends_at > ${first}
    order by m.id`;
  if (rows.length === 0) return () => [];
  // One row per target; the schedule is evaluated once per window.
  const windows = [...new Map(rows.map((r) => [r.id, r])).values()];
  const byTick = new Map<number, Map<string, string[]>>();
  const windowsAt = (tickMs: number) => {
    let found = byTick.get(tickMs);
    if (found) return found;
    const at = new Date(tickMs);
    const running = new Set(
      activeAt(
        windows.filter((r) => r.cancelledAt === null || r.cancelledAt.getTime() > tickMs),
        at,
      ).map((r) => r.id),
    );
    found = new Map();
    for (const r of rows) {
      if (!running.has(r.id)) continue;
      const key = keyOf(r.service, r.environment);
      const ids = found.get(key) ?? [];
      if (!ids.includes(r.id)) ids.push(r.id);
      found.set(key, ids);
    }
    byTick.set(tickMs, found);
    return found;
  };
  return (labels, tickMs) => {
    const { service, environment } = labels;
    if (!service || !environment) return [];
    return windowsAt(tickMs).get(keyOf(service, environment)) ?? [];
  };
}
